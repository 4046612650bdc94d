import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { Instruments, withTask, withWorkflow } from "../src/runtime/node.js";
import { mockLlm } from "./helpers/mock-llm.js";
import { endedBy, spanNamed } from "./helpers/otlp-receiver.js";
import { tracedWithReceiver } from "./helpers/setup.js";

async function setup(options: Parameters<typeof tracedWithReceiver>[0] = {}) {
  const llm = await mockLlm();
  const traced = await tracedWithReceiver({ instrumentModules: { openai: OpenAI }, ...options });
  const openai = new OpenAI({ apiKey: "mock-key", baseURL: `${llm.url}/v1` });
  return { ...traced, openai, llm };
}

describe("OpenAI instrumentation (real openai client, loopback mock provider)", () => {
  it("chat completion: openai.chat under its task with gen_ai attributes, usage and content", async () => {
    const { telemetry, receiver, openai } = await setup();
    const completion = await withTask({ name: "joke_creation" }, () =>
      openai.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [
          { role: "system", content: "You are a pirate." },
          { role: "user", content: "Tell me a joke about parrots" },
        ],
        temperature: 0.7,
        max_tokens: 100,
        top_p: 0.9,
        frequency_penalty: 0.1,
        presence_penalty: 0.2,
        stop: ["\n\n"],
      }),
    );
    expect(completion.object).toBe("chat.completion"); // what the caller gets is untouched
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    const llm = spanNamed(spans, "openai.chat");
    expect(llm.parentSpanId).toBe(spanNamed(spans, "joke_creation.task").spanId);
    expect(llm.kind).toBe(3); // CLIENT
    expect(llm.attributes).toMatchObject({
      "gen_ai.system": "openai",
      "llm.request.type": "chat",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.request.temperature": 0.7,
      "gen_ai.request.max_tokens": 100,
      "gen_ai.request.top_p": 0.9,
      "gen_ai.request.frequency_penalty": 0.1,
      "gen_ai.request.presence_penalty": 0.2,
      "gen_ai.request.stop_sequences": ["\n\n"],
      "gen_ai.response.model": completion.model,
      "gen_ai.response.id": completion.id,
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.input_tokens": completion.usage!.prompt_tokens,
      "gen_ai.usage.output_tokens": completion.usage!.completion_tokens,
      "llm.usage.total_tokens": completion.usage!.total_tokens,
      "gen_ai.prompt.0.role": "system",
      "gen_ai.prompt.0.content": "You are a pirate.",
      "gen_ai.prompt.1.content": "Tell me a joke about parrots",
      "gen_ai.completion.0.role": "assistant",
      "gen_ai.completion.0.content": completion.choices[0]!.message.content,
    });
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(0);
  });

  it("streaming chat with include_usage: the span ends with the stream, with joined text and usage", async () => {
    const { telemetry, receiver, openai } = await setup();
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined;
    await withWorkflow({ name: "streamer" }, async () => {
      const stream = await openai.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "Tell me a joke" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? "";
        if (chunk.usage) usage = chunk.usage;
      }
    });
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    const llm = spanNamed(spans, "openai.chat");
    expect(text.length).toBeGreaterThan(10);
    expect(llm.attributes).toMatchObject({
      "llm.is_streaming": true,
      "gen_ai.completion.0.content": text,
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.input_tokens": usage!.prompt_tokens,
      "gen_ai.usage.output_tokens": usage!.completion_tokens,
    });
    expect(endedBy(llm, spanNamed(spans, "streamer.workflow"))).toBe(true);
  });

  it("an abandoned stream (break) still ends the span, with the text read so far", async () => {
    const { telemetry, receiver, openai } = await setup();
    const stream = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Tell me a joke" }], stream: true });
    let first = "";
    for await (const chunk of stream) {
      first = chunk.choices[0]?.delta?.content ?? "";
      if (first) break;
    }
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(span!.name).toBe("openai.chat");
    expect(span!.attributes["gen_ai.completion.0.content"]).toBe(first);
  });

  it("tool calls are recorded on the completion", async () => {
    const { telemetry, receiver, openai } = await setup();
    const completion = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "What is the weather in Tortuga?" }],
      tools: [{ type: "function", function: { name: "get_weather", description: "Weather for a port", parameters: { type: "object", properties: { port: { type: "string" } } } } }],
    });
    const call = completion.choices[0]!.message.tool_calls![0]! as { id: string; function: { name: string; arguments: string } };
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(span!.attributes).toMatchObject({
      "llm.request.functions.0.name": "get_weather",
      "gen_ai.completion.0.tool_calls.0.name": "get_weather",
      "gen_ai.completion.0.tool_calls.0.id": call.id,
      "gen_ai.completion.0.tool_calls.0.arguments": call.function.arguments,
      "gen_ai.response.finish_reasons": ["tool_calls"],
    });
  });

  it("embeddings: openai.embeddings with model, input and token usage", async () => {
    const { telemetry, receiver, openai } = await setup();
    const result = await openai.embeddings.create({ model: "text-embedding-3-small", input: ["ahoy", "matey"] });
    expect(result.data).toHaveLength(2);
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(span!.name).toBe("openai.embeddings");
    expect(span!.attributes).toMatchObject({
      "llm.request.type": "embedding",
      "gen_ai.request.model": "text-embedding-3-small",
      "gen_ai.prompt.0.content": "ahoy",
      "gen_ai.prompt.1.content": "matey",
      "gen_ai.usage.input_tokens": result.usage.prompt_tokens,
    });
  });

  it("Responses API, plain and streamed: openai.responses with output text and usage", async () => {
    const { telemetry, receiver, openai } = await setup();
    const plain = await openai.responses.create({ model: "gpt-4o-mini", instructions: "Be a pirate.", input: "Tell me a joke" });
    let streamed = "";
    const stream = await openai.responses.create({ model: "gpt-4o-mini", input: "Tell me a joke", stream: true });
    for await (const event of stream) if (event.type === "response.output_text.delta") streamed += event.delta;
    await telemetry.flush();
    const spans = (await receiver.waitForSpans(2)).filter((s) => s.name === "openai.responses");
    const [p, s] = [spans.find((x) => x.attributes["llm.is_streaming"] === false)!, spans.find((x) => x.attributes["llm.is_streaming"] === true)!];
    expect(p.attributes).toMatchObject({
      "gen_ai.prompt.0.role": "system",
      "gen_ai.prompt.0.content": "Be a pirate.",
      "gen_ai.prompt.1.content": "Tell me a joke",
      "gen_ai.completion.0.content": plain.output_text,
      "gen_ai.usage.input_tokens": plain.usage!.input_tokens,
      "gen_ai.usage.output_tokens": plain.usage!.output_tokens,
    });
    expect(s.attributes["gen_ai.completion.0.content"]).toBe(streamed);
    expect(s.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
  });

  it("traceContent: false keeps models and usage but records no prompt or completion", async () => {
    const { telemetry, receiver, openai } = await setup({ traceContent: false });
    await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "secret prompt" }] });
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(span!.attributes["gen_ai.request.model"]).toBe("gpt-4o-mini");
    expect(span!.attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
    expect(Object.keys(span!.attributes).filter((k) => k.startsWith("gen_ai.prompt") || k.startsWith("gen_ai.completion"))).toEqual([]);
  });

  it("errors are recorded with status and re-thrown unchanged", async () => {
    const { telemetry, receiver, llm } = await setup();
    const broken = new OpenAI({ apiKey: "mock-key", baseURL: `${llm.url}/nowhere`, maxRetries: 0 });
    const error = await broken.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(span!.name).toBe("openai.chat");
    expect(span!.status.code).toBe(2);
    expect(span!.events[0]!.name).toBe("exception");
  });

  it("the caller gets exactly what it would without instrumentation (withResponse, stream helpers)", async () => {
    const { telemetry, receiver, openai } = await setup();
    const { data, response } = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }).withResponse();
    expect(response.status).toBe(200);
    expect(data.object).toBe("chat.completion");
    const helper = openai.chat.completions.stream({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Tell me a joke" }] });
    const final = await helper.finalChatCompletion();
    expect(final.choices[0]!.message.content!.length).toBeGreaterThan(0);
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    expect(spans.map((s) => s.name)).toEqual(["openai.chat", "openai.chat"]);
    expect(spans[1]!.attributes["gen_ai.completion.0.content"]).toBe(final.choices[0]!.message.content);
  });

  it("blockInstruments turns it off: no LLM span, the call still works", async () => {
    const { telemetry, receiver, openai } = await setup({ blockInstruments: new Set([Instruments.OPENAI]) });
    await withTask({ name: "plain" }, () => openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }));
    await telemetry.flush();
    const spans = await receiver.waitForSpans(1);
    expect(spans.map((s) => s.name)).toEqual(expect.not.arrayContaining(["openai.chat"]));
  });
});

describe("choosing instrumentations", () => {
  it("instruments is an allow-list: only the listed ones run", async () => {
    const { telemetry, receiver, openai } = await setup({ instruments: new Set([Instruments.ANTHROPIC]) });
    await withTask({ name: "only_anthropic" }, () => openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }));
    await telemetry.flush();
    const spans = await receiver.waitForSpans(1);
    expect(spans.map((s) => s.name)).toEqual(["only_anthropic.task"]); // no openai.chat, no fetch span either
  });
});
