import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { Instruments, withTask } from "../src/runtime/node.js";
import { mockLlm } from "./helpers/mock-llm.js";
import { spanNamed } from "./helpers/otlp-receiver.js";
import { tracedWithReceiver } from "./helpers/setup.js";

async function setup(options: Parameters<typeof tracedWithReceiver>[0] = {}) {
  const llm = await mockLlm();
  const traced = await tracedWithReceiver({ instrumentModules: { anthropic: Anthropic }, ...options });
  return { ...traced, anthropic: new Anthropic({ apiKey: "mock-key", baseURL: llm.url }) };
}

describe("Anthropic instrumentation (real @anthropic-ai/sdk, loopback mock provider)", () => {
  it("messages.create: anthropic.completion under its task, gen_ai attributes, usage, content", async () => {
    const { telemetry, receiver, anthropic } = await setup();
    const message = await withTask({ name: "audience_laughs" }, () =>
      anthropic.messages.create({
        model: "claude-haiku-4-5",
        max_tokens: 200,
        temperature: 0.5,
        top_k: 40,
        system: "You are a cheerful audience.",
        messages: [{ role: "user", content: "Laugh at this joke: why did the parrot…" }],
      }),
    );
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    const llm = spanNamed(spans, "anthropic.completion");
    expect(llm.parentSpanId).toBe(spanNamed(spans, "audience_laughs.task").spanId);
    const text = message.content.map((b) => (b.type === "text" ? b.text : "")).join("");
    expect(llm.attributes).toMatchObject({
      "gen_ai.system": "anthropic",
      "gen_ai.request.model": "claude-haiku-4-5",
      "gen_ai.request.max_tokens": 200,
      "gen_ai.request.temperature": 0.5,
      "gen_ai.request.top_k": 40,
      "gen_ai.response.model": message.model,
      "gen_ai.response.id": message.id,
      "gen_ai.response.finish_reasons": [message.stop_reason],
      "gen_ai.usage.input_tokens": message.usage.input_tokens,
      "gen_ai.usage.output_tokens": message.usage.output_tokens,
      "gen_ai.prompt.0.role": "system",
      "gen_ai.prompt.0.content": "You are a cheerful audience.",
      "gen_ai.prompt.1.role": "user",
      "gen_ai.completion.0.content": text,
    });
    // The SDK's own span for this call is suppressed: each call appears once.
    expect(spans.filter((s) => s.name.startsWith("anthropic."))).toHaveLength(1);
  });

  it("streaming (raw stream and the messages.stream() helper): one span each, text and usage", async () => {
    const { telemetry, receiver, anthropic } = await setup();
    const raw = await anthropic.messages.create({ model: "claude-haiku-4-5", max_tokens: 100, messages: [{ role: "user", content: "Tell me a joke" }], stream: true });
    let rawText = "";
    for await (const event of raw) if (event.type === "content_block_delta" && event.delta.type === "text_delta") rawText += event.delta.text;
    const helper = anthropic.messages.stream({ model: "claude-haiku-4-5", max_tokens: 100, messages: [{ role: "user", content: "Read the joke comments" }] });
    const final = await helper.finalMessage();
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    expect(spans.map((s) => s.name)).toEqual(["anthropic.completion", "anthropic.completion"]);
    const finalText = final.content.map((b) => (b.type === "text" ? b.text : "")).join("");
    expect(spans.map((s) => s.attributes["gen_ai.completion.0.content"]).sort()).toEqual([rawText, finalText].sort());
    for (const span of spans) {
      expect(span.attributes["llm.is_streaming"]).toBe(true);
      expect(span.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
      expect(span.attributes["gen_ai.response.finish_reasons"]).toEqual(["end_turn"]);
    }
  });

  it("tool use is recorded; traceContent: false drops prompts and completions", async () => {
    const { telemetry, receiver, anthropic } = await setup({ traceContent: false });
    const message = await anthropic.messages.create({
      model: "claude-haiku-4-5",
      max_tokens: 100,
      messages: [{ role: "user", content: "Weather in Tortuga?" }],
      tools: [{ name: "get_weather", description: "Weather for a port", input_schema: { type: "object", properties: { port: { type: "string" } } } }],
    });
    expect(message.stop_reason).toBe("tool_use");
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(span!.attributes["llm.request.functions.0.name"]).toBe("get_weather");
    expect(span!.attributes["gen_ai.response.finish_reasons"]).toEqual(["tool_use"]);
    expect(Object.keys(span!.attributes).filter((k) => k.startsWith("gen_ai.prompt") || k.startsWith("gen_ai.completion"))).toEqual([]);
  });

  it("with ANTHROPIC off, the SDK's own spans (anthropic.messages.create) and the fetch spans under them are not exported either", async () => {
    // @anthropic-ai/sdk records its calls itself when our instrument does not suppress it.
    for (const options of [{ instruments: new Set<Instruments>() }, { blockInstruments: [Instruments.ANTHROPIC] }]) {
      const { telemetry, receiver, anthropic } = await setup(options);
      await withTask({ name: "ask" }, () => anthropic.messages.create({ model: "claude-haiku-4-5", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }));
      await telemetry.flush();
      expect(receiver.spans.map((s) => s.name)).toEqual(["ask.task"]);
    }
  });
});
