/**
 * SPEC §10/§11: `traceContent: false` (global or per wrapper) means no prompt, completion, input or
 * output text leaves the process. The SpanRouter strips other libraries' content attributes only
 * for spans started INSIDE an entity whose scope says traceContent: false (span-router.ts onStart
 * returns early when there is no entity scope). With the GLOBAL option and no wrapper around the
 * call — the common case for e.g. the Vercel AI SDK (`experimental_telemetry`) or an OpenLLMetry
 * instrumentation — prompts and completions are exported verbatim; the default processor's noise
 * filter keeps exactly these spans because they are LLM spans.
 */
import { trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { RespanTelemetry } from "../../src/runtime/node.js";
import { onCleanup } from "../helpers/setup.js";
import { memoryExporter } from "./memory-exporter.js";

const SECRET = "patient 4411 has condition X";

describe("global traceContent: false and other libraries' LLM spans outside any wrapper", () => {
  it("no prompt or completion of a Vercel AI SDK / OpenLLMetry span is exported", async () => {
    const exporter = memoryExporter();
    const telemetry = new RespanTelemetry({ customExporter: exporter, env: {}, traceContent: false });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    // What the Vercel AI SDK records through the global tracer provider (which is ours here).
    const ai = trace.getTracer("ai").startSpan("ai.generateText", { attributes: { "ai.prompt": SECRET, "ai.model.id": "gpt-4o" } });
    ai.setAttribute("ai.response.text", SECRET);
    ai.end();
    const llm = trace.getTracer("opentelemetry-instrumentation-openai").startSpan("openai.chat", { attributes: { "gen_ai.prompt.0.content": SECRET } });
    llm.setAttribute("gen_ai.completion.0.content", SECRET);
    llm.end();
    await telemetry.flush();
    expect(exporter.names().sort()).toEqual(["ai.generateText", "openai.chat"]);
    expect(JSON.stringify(exporter.spans.map((s) => s.attributes))).not.toContain(SECRET);
    // Not content: still there.
    expect(exporter.spans.find((s) => s.name === "ai.generateText")!.attributes["ai.model.id"]).toBe("gpt-4o");
  });
});
