/**
 * SPEC §11 Privacy is inherited: "traceContent: false on a wrapper holds for everything started
 * inside it ...: no prompt, completion, input or output text leaves the process."
 *
 * Other libraries' spans are scrubbed by withholdContent (src/core/content-attributes.ts), which
 * only knows a fixed list of attribute keys and never looks at span events. Content written under
 * other common conventions leaves the process verbatim:
 *  - the OTel GenAI semantic conventions' tool spans: gen_ai.tool.call.arguments / .result;
 *  - OpenInference (Arize Phoenix, LlamaIndex, BeeAI...): input.value / output.value and
 *    llm.input_messages.* / llm.output_messages.*;
 *  - the Vercel AI SDK's embed(): ai.value / ai.values;
 *  - GenAI semconv ≤1.27 span EVENTS gen_ai.content.prompt / gen_ai.content.completion.
 */
import { trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { RespanTelemetry, withTask } from "../../src/runtime/node.js";
import { onCleanup } from "../helpers/setup.js";
import { memoryExporter } from "./memory-exporter.js";

const SECRET = "patient 4411 has condition X";

describe("traceContent: false and other libraries' content", () => {
  it("no input/output text of a foreign LLM or tool span started inside the wrapper is exported", async () => {
    const exporter = memoryExporter();
    const telemetry = new RespanTelemetry({ customExporter: exporter, env: {} });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    await withTask({ name: "private", traceContent: false }, async () => {
      const tool = trace.getTracer("genai-tools").startSpan("execute_tool lookup_patient", {
        attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.call.arguments": JSON.stringify({ q: SECRET }) },
      });
      tool.setAttribute("gen_ai.tool.call.result", SECRET);
      tool.end();
      const oi = trace.getTracer("openinference.instrumentation.openai").startSpan("ChatCompletion", {
        attributes: { "openinference.span.kind": "LLM", "input.value": SECRET, "llm.input_messages.0.message.content": SECRET },
      });
      oi.setAttributes({ "output.value": SECRET, "llm.output_messages.0.message.content": SECRET });
      oi.end();
      const embed = trace.getTracer("ai").startSpan("ai.embed", { attributes: { "ai.value": SECRET, "ai.values": [SECRET] } });
      embed.end();
      const old = trace.getTracer("opentelemetry-instrumentation-openai").startSpan("openai.chat");
      old.addEvent("gen_ai.content.prompt", { "gen_ai.prompt": SECRET });
      old.addEvent("gen_ai.content.completion", { "gen_ai.completion": SECRET });
      old.end();
    });
    await telemetry.flush();
    const exported = exporter.spans.filter((s) => s.name !== "private.task");
    expect(exported.map((s) => s.name).sort()).toEqual(["ChatCompletion", "ai.embed", "execute_tool lookup_patient", "openai.chat"]);
    const leaked = exported
      .filter((s) => JSON.stringify({ attributes: s.attributes, events: s.events.map((e) => e.attributes) }).includes(SECRET))
      .map((s) => s.name)
      .sort();
    expect(leaked, "spans whose content left the process under traceContent: false").toEqual([]);
  });
});
