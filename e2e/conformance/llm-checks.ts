/** What the receiver must have got from e2e/runners/llm-calls.mjs, in any runtime. */
import { expect } from "vitest";
import type { ReceivedSpan } from "../../test/helpers/otlp-receiver.js";

const one = (spans: ReceivedSpan[], name: string) => {
  const found = spans.filter((s) => s.name === name);
  expect(found.length, `${name} among ${spans.map((s) => s.name).join(", ")}`).toBe(1);
  return found[0]!;
};
const childOf = (spans: ReceivedSpan[], parent: ReceivedSpan, name: string) => {
  const found = spans.filter((s) => s.parentSpanId === parent.spanId && s.name === name);
  expect(found.length, `${name} under ${parent.name}`).toBe(1);
  return found[0]!;
};

/**
 * `explicit`: the page passes context by hand, which cannot reach inside the Vercel AI SDK (it
 * starts its spans after its own awaits), so there its spans arrive but do not nest; with Zone
 * or async context they do.
 */
export function checkLlmCalls(runtime: string, all: ReceivedSpan[], report: any, explicit = false): void {
  const spans = all.filter((s) => s.resource["service.name"] === `${runtime}:llm`);
  const chat = childOf(spans, one(spans, "ask_openai.task"), "openai.chat");
  expect(chat.attributes).toMatchObject({
    "gen_ai.system": "openai",
    "gen_ai.request.model": "gpt-4o-mini",
    "gen_ai.request.temperature": 0.3,
    "gen_ai.usage.input_tokens": report.chat.usage.prompt_tokens,
    "gen_ai.usage.output_tokens": report.chat.usage.completion_tokens,
    "gen_ai.prompt.0.content": "Tell me a joke",
    "gen_ai.completion.0.content": report.chat.text,
  });
  const streamed = childOf(spans, one(spans, "stream_openai.task"), "openai.chat");
  expect(streamed.attributes).toMatchObject({
    "llm.is_streaming": true,
    "gen_ai.completion.0.content": report.stream.text,
    "gen_ai.usage.output_tokens": report.stream.usage.completion_tokens,
  });
  expect(childOf(spans, one(spans, "embed.task"), "openai.embeddings").attributes["gen_ai.usage.input_tokens"]).toBe(report.embedding.usage.prompt_tokens);
  const message = childOf(spans, one(spans, "ask_anthropic.task"), "anthropic.completion");
  expect(message.attributes).toMatchObject({
    "gen_ai.system": "anthropic",
    "gen_ai.usage.input_tokens": report.message.usage.input_tokens,
    "gen_ai.usage.output_tokens": report.message.usage.output_tokens,
    "gen_ai.completion.0.content": report.message.text,
  });
  expect(childOf(spans, one(spans, "stream_anthropic.task"), "anthropic.completion").attributes["gen_ai.completion.0.content"]).toBe(report.anthropicStream.text);
  const vercel = explicit ? one(spans, "ai.generateText") : childOf(spans, one(spans, "vercel_ai.task"), "ai.generateText");
  expect(vercel.attributes["ai.response.text"]).toBe(report.vercel.text);
  const doGenerate = spans.find((s) => s.name === "ai.generateText.doGenerate");
  expect(doGenerate?.attributes["gen_ai.request.model"]).toBe("gpt-4o-mini");
  if (!explicit) {
    expect(doGenerate!.parentSpanId).toBe(vercel.spanId);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
  }
  // No duplicates from the SDKs themselves, and no fetch spans under the LLM spans.
  expect(spans.filter((s) => s.name.startsWith("anthropic.") || s.name.startsWith("openai."))).toHaveLength(5);

  const quiet = all.filter((s) => s.resource["service.name"] === `${runtime}:llm-quiet`);
  expect(quiet.map((s) => s.name)).toEqual(["openai.chat"]);
  expect(quiet[0]!.attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
  expect(Object.keys(quiet[0]!.attributes).filter((k) => k.startsWith("gen_ai.prompt") || k.startsWith("gen_ai.completion"))).toEqual([]);
}
