/**
 * The Python README's "Instrumentation" section (examples #20–#31). TypeScript has three
 * instruments: OPENAI, ANTHROPIC and FETCH (Python's REQUESTS / URLLIB3 HTTP clients map to FETCH;
 * REDIS, THREADING and the other opentelemetry-instrumentation-* packages have no counterpart).
 * Context propagation (Python's THREADING instrument) is always on: AsyncLocalStorage in Node.
 */
import OpenAI from "openai";
import { createRequire } from "node:module";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Instruments, RespanTelemetry, getClient, withTask, withWorkflow, workflow, type RespanOptions } from "../../src/runtime/node.js";
import { spanNamed, startOtlpReceiver } from "../helpers/otlp-receiver.js";
import { onCleanup, tracedWithReceiver } from "../helpers/setup.js";
import { BATCH_DELAY_MS, llmClients, sleep, spanNamesOfEveryCall } from "./parity-helpers.js";

afterEach(() => vi.restoreAllMocks());

const PATCHED = Symbol.for("respan-tracing.original");
/**
 * The openai the SDK discovers. Under vitest the SDK's source sees vitest's `require`, so it finds
 * the CommonJS build, a different class from this file's ESM import; real ESM and CommonJS apps are
 * run in test/node-process.test.ts.
 */
const DiscoveredOpenAI = (createRequire(import.meta.url)("openai") as { default: typeof OpenAI }).default;
const isPatched = () => Boolean((DiscoveredOpenAI as any).Chat.Completions.prototype.create[PATCHED]);


describe("Instrumentation (Python README)", () => {
  // First in the file: nothing has patched the openai client yet.
  it("#20 Default Behavior: Auto-Discovery: installed openai and @anthropic-ai/sdk are found and traced without being passed", async () => {
    expect(isPatched()).toBe(false);
    const { openai: esm } = await llmClients();
    const openai = new DiscoveredOpenAI({ apiKey: "mock-key", baseURL: esm.baseURL });
    const { telemetry, receiver } = await tracedWithReceiver({ appName: "my-app", apiKey: "respan-xxx-20" });
    // Discovery is an async import() in Node: wait (bounded) until it has patched the client.
    for (let i = 0; i < 200 && !isPatched(); i++) await sleep(10);
    await withTask({ name: "ask" }, () => openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }));
    await telemetry.flush();
    expect(spanNamed(receiver.spans, "openai.chat").parentSpanId).toBe(spanNamed(receiver.spans, "ask.task").spanId);
  });

  it("#21 Example: Tracing OpenAI Calls: a bare client call makes a span with model, prompt, completion, token usage and timing", async () => {
    const { openai } = await llmClients();
    const { telemetry, receiver } = await tracedWithReceiver({ appName: "my-app", instrumentModules: { openai: OpenAI } });
    const response = await openai.chat.completions.create({ model: "gpt-4", messages: [{ role: "user", content: "Hello!" }] });
    await telemetry.flush();
    const span = spanNamed(receiver.spans, "openai.chat");
    expect(span.parentSpanId).toBeUndefined(); // outside any wrapper, still exported (an LLM span)
    expect(span.attributes).toMatchObject({
      "gen_ai.request.model": "gpt-4",
      "gen_ai.prompt.0.content": "Hello!",
      "gen_ai.completion.0.content": response.choices[0]!.message.content,
      "gen_ai.usage.input_tokens": response.usage!.prompt_tokens,
      "gen_ai.usage.output_tokens": response.usage!.completion_tokens,
    });
    expect(BigInt(span.endTimeUnixNano)).toBeGreaterThan(BigInt(span.startTimeUnixNano));
  });

  it("#22 Important: Threading Instrumentation: context propagation stays on whatever instruments are chosen", async () => {
    // No threads in JavaScript: work scheduled by timers and run concurrently keeps its parent.
    for (const instruments of [undefined, new Set([Instruments.OPENAI]), new Set([Instruments.OPENAI, Instruments.ANTHROPIC])]) {
      const { telemetry, receiver } = await tracedWithReceiver({ instruments });
      await withWorkflow({ name: "fan_out" }, async () => {
        await Promise.all([1, 2, 3].map((i) => new Promise((resolve) => setTimeout(() => resolve(withTask({ name: `worker_${i}` }, () => i)), i))));
      });
      await telemetry.flush();
      const root = spanNamed(receiver.spans, "fan_out.workflow");
      expect(receiver.spans.filter((s) => s.parentSpanId === root.spanId).map((s) => s.name).sort()).toEqual(["worker_1.task", "worker_2.task", "worker_3.task"]);
    }
  });

  it("#24 Option 1: Disable Specific Instruments: a blocked instrument makes no spans, the others still do", async () => {
    // Python blocks REQUESTS, URLLIB3, REDIS: the HTTP client here is fetch.
    expect(await spanNamesOfEveryCall({ appName: "my-app", blockInstruments: new Set([Instruments.FETCH]) })).toEqual(["anthropic.completion", "openai.chat", "work.task"]);
  });

  it("#25 Option 2: Enable Only Specific Instruments: only OpenAI and Anthropic are traced", async () => {
    expect(await spanNamesOfEveryCall({ appName: "my-app", instruments: new Set([Instruments.OPENAI, Instruments.ANTHROPIC]) })).toEqual(["anthropic.completion", "openai.chat", "work.task"]);
    expect(await spanNamesOfEveryCall({ appName: "my-app", instruments: new Set([Instruments.OPENAI]) })).toEqual(["openai.chat", "work.task"]);
  });

  it("#26 Option 3: Disable All Instrumentation: no LLM spans, but wrappers, manual spans and getClient() still work", async () => {
    expect(await spanNamesOfEveryCall({ appName: "my-app", instruments: new Set() })).toEqual(["work.task"]);
    const { telemetry, receiver } = await tracedWithReceiver({ instruments: new Set() });
    await withWorkflow({ name: "decorated" }, () => {
      getClient().updateCurrentSpan({ respanParams: { customer_identifier: "c-26" } });
      getClient().getTracer().startActiveSpan("manual", (span) => span.end());
    });
    await telemetry.flush();
    expect(spanNamed(receiver.spans, "decorated.workflow").attributes["respan.customer_params.customer_identifier"]).toBe("c-26");
    expect(spanNamed(receiver.spans, "manual").parentSpanId).toBe(spanNamed(receiver.spans, "decorated.workflow").spanId);
  });

  it("#27 2. Reduce Noise in Production: the development instance traces HTTP calls, the production one blocks them", async () => {
    // One instance per environment (in one process the newest instance is the current one).
    const dev = await spanNamesOfEveryCall({ appName: "my-app-dev" });
    const prod = await spanNamesOfEveryCall({ appName: "my-app-prod", blockInstruments: new Set([Instruments.FETCH]) });
    expect(dev).toContain("fetch");
    expect(prod).not.toContain("fetch");
    expect(prod).toContain("openai.chat");
  });

  it("#28 3. Backend Services: Minimal Instrumentation: decorators only, each span sent as it ends", async () => {
    const { receiver, telemetry } = await tracedWithReceiver({ appName: "backend-api", instruments: new Set(), isBatchingEnabled: false });
    const apiEndpoint = workflow({ name: "api_endpoint" }, (data: { id: number }) => data.id);
    apiEndpoint({ id: 1 });
    // Sent when it ended, no flush(): well before a batch would leave (BATCH_DELAY_MS).
    const [span] = await receiver.waitForSpans(1, BATCH_DELAY_MS - 100);
    expect(span!.name).toBe("api_endpoint.workflow");
    expect(telemetry.isInstrumentEnabled(Instruments.OPENAI)).toBe(false);
  });

  it("#29 Issue: My OpenAI calls aren't being traced: logLevel DEBUG logs each instrumentation it sets up", async () => {
    const info = vi.spyOn(console, "info").mockImplementation(() => undefined);
    await tracedWithReceiver({ logLevel: "DEBUG", instrumentModules: { openai: OpenAI } });
    // Python logs "Initialized OpenAI instrumentation"; this SDK "instrumented openai".
    expect(info.mock.calls.map(([line]) => String(line))).toContainEqual(expect.stringContaining("instrumented openai"));
  });

  it("#30 Issue: Too many spans are being created (noise): blocking HTTP instrumentation removes the HTTP client spans", async () => {
    const count = async (options: RespanOptions) => {
      const { telemetry, receiver } = await tracedWithReceiver(options);
      await withTask({ name: "poll" }, async () => {
        for (let i = 0; i < 5; i++) await (await fetch(`${receiver.url}/status`)).text();
      });
      await telemetry.flush();
      return receiver.spans.length;
    };
    expect(await count({})).toBe(6);
    expect(await count({ blockInstruments: new Set([Instruments.FETCH]) })).toBe(1);
  });

  it("#31 Issue: Performance overhead in my backend: no instruments, no batching: one request per span, nothing else traced", async () => {
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    const { openai } = await llmClients();
    const telemetry = new RespanTelemetry({ apiKey: "respan-31-key", baseUrl: receiver.url, env: {}, instruments: new Set(), isBatchingEnabled: false, instrumentModules: { openai: OpenAI } });
    onCleanup(() => telemetry.shutdown());
    await withTask({ name: "a" }, () => openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }));
    withTask({ name: "b" }, () => undefined);
    await telemetry.flush();
    expect(receiver.spans.map((s) => s.name)).toEqual(["a.task", "b.task"]);
    expect(receiver.requests.map((r) => r.spanCount)).toEqual([1, 1]);
  });
});
