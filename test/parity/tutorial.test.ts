/**
 * The Python README's "Tutorial" (examples #11–#19): the joke workflow, step by step, with the real
 * openai and @anthropic-ai/sdk clients against the loopback mock provider. Python's free
 * `@task` / `@workflow` are the free `task()` / `workflow()` wrappers (functions cannot be
 * decorated in TypeScript); `if __name__ == "__main__"` is a plain call.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { task, workflow } from "../../src/runtime/node.js";
import { spanNamed, type ReceivedSpan } from "../helpers/otlp-receiver.js";
import { tracedWithReceiver } from "../helpers/setup.js";
import { json, llmClients, sleep } from "./parity-helpers.js";

/** Step 1: telemetry (RESPAN_API_KEY → apiKey) and the clients. */
async function setup() {
  const traced = await tracedWithReceiver({ instrumentModules: { openai: OpenAI, anthropic: Anthropic } });
  return { ...traced, ...(await llmClients()) };
}

/** The tutorial's functions as they stand after `step` (Python redefines them in place). */
function tutorial(openai: OpenAI, anthropic: Anthropic, step: number) {
  const ask = async (content: string, extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {}) => {
    const completion = await openai.chat.completions.create({ model: "gpt-3.5-turbo", messages: [{ role: "user", content }], ...extra });
    return completion.choices[0]!.message.content ?? "";
  };
  const storeJoke = task({ name: "store_joke" }, async (joke: string) => {
    const embedding = await openai.embeddings.create({ model: "text-embedding-3-small", input: joke });
    return embedding.data[0]!.embedding;
  });
  const createJoke = task({ name: "joke_creation" }, async () => {
    const joke = await ask("Tell me a joke about opentelemetry", {
      temperature: 0.5,
      max_tokens: 100,
      frequency_penalty: 0.5,
      presence_penalty: 0.5,
      stop: ["\n"],
      logprobs: true,
    });
    if (step >= 4) await storeJoke(joke);
    return joke;
  });
  const generateSignature = task({ name: "signature_generation" }, (joke: string) => ask("add a signature to the joke:\n\n" + joke));
  const translateJokeToPirate = task({ name: "pirate_joke_translation" }, (joke: string) => ask("translate the joke to pirate language:\n\n" + joke));
  const jokeWorkflow = workflow({ name: "pirate_joke_generator" }, async () => {
    const engJoke = await createJoke();
    const pirateJoke = await translateJokeToPirate(engJoke);
    const signature = await generateSignature(pirateJoke);
    return pirateJoke + signature;
  });
  // Python's keyword call `audience_laughs(joke=joke)` passes an object here: recorded as kwargs.
  const audienceLaughs = task({ name: "audience_laughs" }, ({ joke }: { joke: string }) => ask("This joke:\n\n" + joke + " is funny, say hahahahaha", { max_tokens: 10 }));
  const audienceClaps = task({ name: "audience_claps" }, () => ask("Clap once", { max_tokens: 5 }));
  const audienceApplaud = task({ name: "audience_applaud" }, async (_kwargs: { joke: string }) => {
    const clap = await audienceClaps();
    return ask("Applaud to the joke, clap clap! " + clap, { max_tokens: 10 });
  });
  const audienceReaction = workflow({ name: "audience_reaction" }, async (joke: string) => {
    const laughter = await audienceLaughs({ joke });
    const applauds = await audienceApplaud({ joke });
    return laughter + applauds;
  });
  // Python's `time.sleep(1)`: 10 ms keeps the test quick; the span still covers the wait.
  const loggingJoke = task({ name: "logging_joke" }, async (joke: string, reactions: string) => {
    void (joke + "\n\n" + reactions);
    await sleep(10);
  });
  const askForComments = task({ name: "ask_for_comments" }, async ({ joke }: { joke: string }) => {
    const completion = await anthropic.messages.create({
      model: "claude-3-5-sonnet-20240620",
      messages: [{ role: "user", content: `What do you think about this joke: ${joke}` }],
      max_tokens: 100,
    });
    const first = completion.content[0];
    return first?.type === "text" ? first.text : "";
  });
  const readJokeComments = task({ name: "read_joke_comments" }, ({ comments }: { comments: string }) => `Here is the comment from the audience: ${comments}`);
  const audienceInteraction = workflow({ name: "audience_interaction" }, async (joke: string) => {
    const comments = await askForComments({ joke });
    readJokeComments({ comments });
  });
  const jokeAndAudienceReaction = workflow({ name: "joke_and_audience_reaction" }, async () => {
    const pirateJoke = await jokeWorkflow();
    const reactions = await audienceReaction(pirateJoke);
    if (step >= 6) await audienceInteraction(pirateJoke);
    if (step >= 5) await loggingJoke(pirateJoke, reactions);
  });
  return { storeJoke, createJoke, jokeWorkflow, audienceReaction, loggingJoke, audienceInteraction, jokeAndAudienceReaction };
}

/** Names of the children of `parent`, in start order. */
function childrenOf(spans: ReceivedSpan[], parent: string): string[] {
  const id = spanNamed(spans, parent).spanId;
  return spans
    .filter((s) => s.parentSpanId === id)
    .sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1))
    .map((s) => s.name);
}

describe("Tutorial (Python README)", () => {
  it("#11 Step 2: First Draft - Basic Workflow: pirate_joke_generator runs three tasks, each with its openai.chat call", async () => {
    const { telemetry, receiver, openai, anthropic, requests } = await setup();
    const result = await tutorial(openai, anthropic, 2).jokeWorkflow();
    await telemetry.flush();
    const spans = receiver.spans;
    expect(childrenOf(spans, "pirate_joke_generator.workflow")).toEqual(["joke_creation.task", "pirate_joke_translation.task", "signature_generation.task"]);
    for (const name of ["joke_creation.task", "pirate_joke_translation.task", "signature_generation.task"]) expect(childrenOf(spans, name)).toEqual(["openai.chat"]);
    expect(json(spanNamed(spans, "pirate_joke_generator.workflow").attributes["traceloop.entity.output"])).toBe(result);
    const creation = spans.find((s) => s.name === "openai.chat" && s.parentSpanId === spanNamed(spans, "joke_creation.task").spanId)!;
    expect(creation.attributes).toMatchObject({
      "gen_ai.request.model": "gpt-3.5-turbo",
      "gen_ai.request.temperature": 0.5,
      "gen_ai.request.max_tokens": 100,
      "gen_ai.request.frequency_penalty": 0.5,
      "gen_ai.request.presence_penalty": 0.5,
      "gen_ai.request.stop_sequences": ["\n"],
      "gen_ai.prompt.0.content": "Tell me a joke about opentelemetry",
    });
    expect(requests[0]!.body).toMatchObject({ logprobs: true }); // the call itself is untouched
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
  });

  it("#12 Step 3: Adding Another Workflow: audience_reaction nests audience_claps under audience_applaud", async () => {
    const { telemetry, receiver, openai, anthropic } = await setup();
    await tutorial(openai, anthropic, 3).audienceReaction("a joke");
    await telemetry.flush();
    const spans = receiver.spans;
    expect(childrenOf(spans, "audience_reaction.workflow")).toEqual(["audience_laughs.task", "audience_applaud.task"]);
    expect(childrenOf(spans, "audience_applaud.task")).toEqual(["audience_claps.task", "openai.chat"]);
    expect(json(spanNamed(spans, "audience_laughs.task").attributes["traceloop.entity.input"])).toEqual({ args: [], kwargs: { joke: "a joke" } });
    expect(spanNamed(spans, "audience_claps.task").attributes["traceloop.entity.path"]).toBe("audience_reaction.audience_applaud");
  });

  it("#13 Step 3: Adding Another Workflow (entrypoint): joke_and_audience_reaction holds both workflows, side by side", async () => {
    const { telemetry, receiver, openai, anthropic } = await setup();
    await tutorial(openai, anthropic, 3).jokeAndAudienceReaction();
    await telemetry.flush();
    const spans = receiver.spans;
    expect(spanNamed(spans, "joke_and_audience_reaction.workflow").parentSpanId).toBeUndefined();
    expect(childrenOf(spans, "joke_and_audience_reaction.workflow")).toEqual(["pirate_joke_generator.workflow", "audience_reaction.workflow"]);
    expect(spans.filter((s) => s.name.endsWith(".task"))).toHaveLength(6);
    expect(spanNamed(spans, "audience_laughs.task").attributes["traceloop.workflow.name"]).toBe("audience_reaction");
  });

  it("#14 Step 4: Adding Vector Storage Capability: store_joke's embeddings call is an openai.embeddings span", async () => {
    const { telemetry, receiver, openai, anthropic } = await setup();
    const embedding = await tutorial(openai, anthropic, 4).storeJoke("a joke");
    await telemetry.flush();
    expect(embedding.every((n) => typeof n === "number")).toBe(true);
    expect(childrenOf(receiver.spans, "store_joke.task")).toEqual(["openai.embeddings"]);
    expect(spanNamed(receiver.spans, "openai.embeddings").attributes["gen_ai.request.model"]).toBe("text-embedding-3-small");
  });

  it("#15 Step 4: Adding Vector Storage Capability (create_joke uses store_joke): store_joke.task appears inside joke_creation.task", async () => {
    const { telemetry, receiver, openai, anthropic } = await setup();
    await tutorial(openai, anthropic, 4).jokeWorkflow();
    await telemetry.flush();
    expect(childrenOf(receiver.spans, "joke_creation.task")).toEqual(["openai.chat", "store_joke.task"]);
    expect(childrenOf(receiver.spans, "store_joke.task")).toEqual(["openai.embeddings"]);
  });

  it("#16 Step 5: Adding Arbitrary Function Calls: logging_joke records its inputs, as Python's args", async () => {
    const { telemetry, receiver, openai, anthropic } = await setup();
    await tutorial(openai, anthropic, 5).loggingJoke("the joke", "the reactions");
    await telemetry.flush();
    const span = spanNamed(receiver.spans, "logging_joke.task");
    expect(json(span.attributes["traceloop.entity.input"])).toEqual({ args: ["the joke", "the reactions"], kwargs: {} });
    expect(span.attributes["traceloop.entity.output"]).toBeDefined();
    expect(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)).toBeGreaterThanOrEqual(5_000_000n); // it covers the wait
  });

  it("#17 Step 5: Adding Arbitrary Function Calls (joke_and_audience_reaction calls logging_joke): a third child, after the reactions", async () => {
    const { telemetry, receiver, openai, anthropic } = await setup();
    await tutorial(openai, anthropic, 5).jokeAndAudienceReaction();
    await telemetry.flush();
    expect(childrenOf(receiver.spans, "joke_and_audience_reaction.workflow")).toEqual(["pirate_joke_generator.workflow", "audience_reaction.workflow", "logging_joke.task"]);
  });

  it("#18 Step 6: Adding Different LLM Provider (Anthropic): ask_for_comments makes an anthropic.completion span", async () => {
    const { telemetry, receiver, openai, anthropic } = await setup();
    await tutorial(openai, anthropic, 6).audienceInteraction("a joke");
    await telemetry.flush();
    const spans = receiver.spans;
    expect(childrenOf(spans, "audience_interaction.workflow")).toEqual(["ask_for_comments.task", "read_joke_comments.task"]);
    expect(childrenOf(spans, "ask_for_comments.task")).toEqual(["anthropic.completion"]);
    expect(spanNamed(spans, "anthropic.completion").attributes).toMatchObject({ "gen_ai.system": "anthropic", "gen_ai.request.model": "claude-3-5-sonnet-20240620", "gen_ai.request.max_tokens": 100 });
    const read = spanNamed(spans, "read_joke_comments.task");
    expect(json(read.attributes["traceloop.entity.input"])).toEqual({ args: [], kwargs: { comments: expect.any(String) } });
    expect(json(read.attributes["traceloop.entity.output"])).toMatch(/^Here is the comment from the audience: /);
  });

  it("#19 Step 6: Adding Different LLM Provider (Anthropic) (final workflow): one trace, four children of joke_and_audience_reaction, OpenAI and Anthropic calls under their tasks", async () => {
    const { telemetry, receiver, openai, anthropic } = await setup();
    await tutorial(openai, anthropic, 6).jokeAndAudienceReaction();
    await telemetry.flush();
    const spans = receiver.spans;
    expect(childrenOf(spans, "joke_and_audience_reaction.workflow")).toEqual([
      "pirate_joke_generator.workflow",
      "audience_reaction.workflow",
      "audience_interaction.workflow",
      "logging_joke.task",
    ]);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    expect(spans.filter((s) => s.name === "openai.chat")).toHaveLength(6);
    expect(spans.filter((s) => s.name === "openai.embeddings")).toHaveLength(1);
    expect(spans.filter((s) => s.name === "anthropic.completion")).toHaveLength(1);
  });
});
