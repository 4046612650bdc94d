/** SPEC §11 "Privacy is inherited": traceContent: false on a wrapper holds for everything inside it. */
import { trace } from "@opentelemetry/api";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { withTask, withWorkflow } from "../../src/runtime/node.js";
import { mockLlm } from "../helpers/mock-llm.js";
import { spanNamed } from "../helpers/otlp-receiver.js";
import { tracedWithReceiver } from "../helpers/setup.js";

const PROMPT = "my secret diagnosis is 42";

async function setup() {
  const llm = await mockLlm();
  const traced = await tracedWithReceiver({ instrumentModules: { openai: OpenAI } });
  const openai = new OpenAI({ apiKey: "mock-key", baseURL: `${llm.url}/v1` });
  return { ...traced, openai };
}

const textOf = (spans: Array<{ attributes: Record<string, unknown> }>) => JSON.stringify(spans.map((s) => s.attributes));

describe("traceContent: false on a wrapper is inherited", () => {
  it("an LLM call inside records no prompt or completion (plain and streamed); one outside still does", async () => {
    const { telemetry, receiver, openai } = await setup();
    await withWorkflow({ name: "private_flow", traceContent: false }, async () => {
      await withTask({ name: "inner_step" }, (): Promise<unknown> =>
        openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: PROMPT }] }),
      );
      const stream = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: PROMPT }], stream: true });
      for await (const chunk of stream) void chunk;
    });
    await withTask({ name: "public_step" }, () => openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "public question" }] }));
    await telemetry.flush();
    const spans = await receiver.waitForSpans(6);
    const privateSpans = spans.filter((s) => s.attributes["traceloop.workflow.name"] === "private_flow");
    expect(privateSpans.map((s) => s.name).sort()).toEqual(["inner_step.task", "openai.chat", "openai.chat", "private_flow.workflow"]);
    expect(textOf(privateSpans)).not.toContain(PROMPT);
    expect(privateSpans.some((s) => Object.keys(s.attributes).some((k) => k.startsWith("gen_ai.prompt") || k.startsWith("gen_ai.completion")))).toBe(false);
    // Token counts and the model are not content: they are still recorded.
    expect(privateSpans.find((s) => s.name === "openai.chat")!.attributes["gen_ai.request.model"]).toBe("gpt-4o-mini");
    const publicLlm = spans.find((s) => s.name === "openai.chat" && s.parentSpanId === spanNamed(spans, "public_step.task").spanId)!;
    expect(publicLlm.attributes["gen_ai.prompt.0.content"]).toBe("public question");
  });

  it("a nested wrapper cannot turn content back on, and another library's spans lose their content", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    withWorkflow({ name: "outer", traceContent: false }, () => {
      withTask({ name: "inner", traceContent: true }, (secret = PROMPT) => secret);
      // What e.g. the Vercel AI SDK records through the global tracer.
      const other = trace.getTracer("ai").startSpan("ai.generateText", { attributes: { "ai.prompt": PROMPT, "ai.model.id": "m" } });
      other.setAttribute("ai.response.text", PROMPT);
      other.setAttribute("gen_ai.input.messages", PROMPT);
      other.end();
    });
    await telemetry.flush();
    const spans = await receiver.waitForSpans(3);
    expect(textOf(spans)).not.toContain(PROMPT);
    expect(spanNamed(spans, "inner.task").attributes["traceloop.entity.output"]).toBeUndefined();
    expect(spanNamed(spans, "ai.generateText").attributes["ai.model.id"]).toBe("m");
  });
});
