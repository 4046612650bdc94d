import { createOpenAI } from "@ai-sdk/openai";
import { generateText, streamText } from "ai";
import { describe, expect, it } from "vitest";
import { withTask } from "../src/runtime/node.js";
import { mockLlm } from "./helpers/mock-llm.js";
import { spanNamed } from "./helpers/otlp-receiver.js";
import { tracedWithReceiver } from "./helpers/setup.js";

describe("Vercel AI SDK (ai + @ai-sdk/openai) spans through our tracer", () => {
  it("generateText and streamText with experimental_telemetry are exported by the default processor, nested in tasks", async () => {
    const llm = await mockLlm();
    const { telemetry, receiver } = await tracedWithReceiver();
    const provider = createOpenAI({ apiKey: "mock-key", baseURL: `${llm.url}/v1` });
    // The one line users need: pass our tracer (or rely on the global provider we register).
    const experimental_telemetry = { isEnabled: true, tracer: telemetry.getTracer() };
    const generated = await withTask({ name: "generate" }, () => generateText({ model: provider("gpt-4o-mini"), prompt: "Tell me a joke", experimental_telemetry }));
    expect(generated.text.length).toBeGreaterThan(10);
    const streamed = await withTask({ name: "stream" }, async () => {
      const result = streamText({ model: provider("gpt-4o-mini"), prompt: "Tell me a joke", experimental_telemetry: { isEnabled: true } });
      let text = "";
      for await (const delta of result.textStream) text += delta;
      return text;
    });
    expect(streamed).toBe(generated.text);
    await telemetry.flush();
    const spans = await receiver.waitForSpans(4);
    const generate = spanNamed(spans, "ai.generateText");
    expect(generate.parentSpanId).toBe(spanNamed(spans, "generate.task").spanId);
    expect(spanNamed(spans, "ai.streamText").parentSpanId).toBe(spanNamed(spans, "stream.task").spanId);
    const inner = spans.find((s) => s.name === "ai.generateText.doGenerate")!;
    expect(inner.attributes["gen_ai.request.model"]).toBe("gpt-4o-mini");
    expect(inner.attributes["gen_ai.usage.output_tokens"] ?? inner.attributes["ai.usage.completionTokens"]).toBeGreaterThan(0);
    expect(generate.attributes["ai.response.text"]).toBe(generated.text);
  });
});
