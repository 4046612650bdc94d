/**
 * The third-party SDKs compared in bench/run.mjs, loaded from bench/contenders/ (its own
 * package.json and lock, installed on demand by lib/install-contenders.mjs), never from the
 * repository's node_modules: each pulls its own OpenTelemetry line (Traceloop 0.203/2.x,
 * KeywordsAI 0.56/1.x) that the repository's lock must not hold.
 *
 * Each does the same work per call as lib/contenders.mjs: a workflow span with one task child, the
 * input and output captured as JSON by the SDK itself, batched OTLP/HTTP export to the loopback
 * `url` (both SDKs export protobuf with exporter-trace-otlp-proto; lib/sink.mjs counts either).
 * Settings chosen so that nothing leaves the machine and no LLM instrumentation is registered
 * (respan-tracing's per-call path has none either): see `TRACELOOP_OPTIONS`, `KEYWORDSAI_OPTIONS`.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

export const EXTERNAL = {
  traceloop: { label: "Traceloop", pkg: "@traceloop/node-server-sdk" },
  keywordsai: { label: "KeywordsAI", pkg: "@keywordsai/tracing" },
};

const WORKFLOW = { name: "bench_workflow" };
const TASK = { name: "bench_task" };
const FLOW_TASKS = 4;
const work = (i) => ({ answer: `result ${i}`, tokens: i % 97 });
const tick = () => new Promise((resolve) => setImmediate(resolve));
const FLUSH_LIMIT_MS = 20_000;
/** The SDKs' flush and shutdown have no time limit of their own: the bench's loops must end. */
const bounded = (promise, ms = FLUSH_LIMIT_MS) => Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms).unref())]);

/** Resolves from bench/contenders/, where the SDKs and their own OpenTelemetry copies live. */
export const contendersRequire = createRequire(new URL("../contenders/package.json", import.meta.url));

/**
 * The installed version of a contender's package, or undefined when it is not installed. Read from
 * disk each time, not `require`d: require caches, and run.mjs asks again after `npm ci`.
 */
export function installedVersion(name) {
  try {
    return JSON.parse(readFileSync(contendersRequire.resolve(`${EXTERNAL[name].pkg}/package.json`), "utf8")).version;
  } catch {
    return undefined;
  }
}

/** The OTLP/HTTP base both SDKs append their path to (Traceloop `/v1/traces`, KeywordsAI `/api/v1/traces`); the sink answers any path. */
const baseOf = (url) => new URL(url).origin;

/**
 * Traceloop's options: export to the sink (baseUrl; its exporter appends /v1/traces), batching on
 * (the default BatchSpanProcessor, default queue and delays), no prompt-registry sync (the one call
 * that would reach api.traceloop.com; it is skipped anyway for a base URL without "traceloop"), no
 * API key (so no TraceloopClient and no image uploader) and an empty header set instead of
 * "Bearer undefined". `instrumentModules` with only a falsy entry is its documented manual mode
 * with nothing to instrument: otherwise initialize() registers its 14 LLM and vector-DB
 * instrumentations (require hooks, no I/O). Input and output capture (traceContent) is on by default.
 */
export const TRACELOOP_OPTIONS = (url) => ({
  appName: "bench",
  baseUrl: baseOf(url),
  headers: {},
  disableBatch: false,
  traceloopSyncEnabled: false,
  silenceInitializationMessage: true,
  instrumentModules: { langchain: false },
});

/** Import (a CommonJS require: its ESM build calls `require` and cannot load as ESM) and initialize. */
export function loadTraceloop() {
  return contendersRequire(EXTERNAL.traceloop.pkg);
}

/**
 * The bench's work (bench/lib/contenders.mjs) through an SDK's own `withWorkflow` and `withTask`
 * (name, fn, ...args) wrappers, which capture input and output themselves.
 */
function sameWork(sdk) {
  const task = (q, i) => work(i);
  const taskCall = (q, i) => sdk.withTask(TASK, task, q, i);
  const flowBody = async (q, i) => {
    let out;
    for (let k = 0; k < FLOW_TASKS; k++) {
      await tick();
      // Traceloop's withTask returns a promise, KeywordsAI's the value: awaiting fits both.
      out = await sdk.withTask(TASK, task, q, i);
    }
    return out;
  };
  return {
    call: (i) => sdk.withWorkflow(WORKFLOW, taskCall, "question", i),
    flow: (i) => sdk.withWorkflow(WORKFLOW, flowBody, "question", i),
  };
}

export async function setupTraceloop(url) {
  const traceloop = loadTraceloop();
  traceloop.initialize(TRACELOOP_OPTIONS(url));
  const api = createRequire(contendersRequire.resolve(EXTERNAL.traceloop.pkg))("@opentelemetry/api");
  return {
    // withWorkflow always returns a promise (its span callback is async); the spans' work is done
    // synchronously up to the workflow span's end, which waits for the task's promise (a microtask).
    ...sameWork(traceloop),
    flush: () => bounded(traceloop.forceFlush()),
    // Traceloop exports no shutdown: its NodeSDK registered the global provider.
    shutdown: () => bounded(api.trace.getTracerProvider().getDelegate?.().shutdown?.()),
    stats: () => undefined, // OTel's BatchSpanProcessor does not count what it drops
  };
}

/**
 * KeywordsAI's options: export to the sink (baseURL; its exporter appends /api/v1/traces), batching
 * on (its filtering processor wraps a default BatchSpanProcessor), every LLM instrumentation disabled
 * by name (they would otherwise be discovered from bench/contenders/node_modules, where Traceloop put
 * them), a dummy API key so it does not print a warning per start. Input and output capture is on
 * by default.
 */
export const KEYWORDSAI_OPTIONS = (url) => ({
  appName: "bench",
  baseURL: baseOf(url),
  apiKey: "bench-key-0000",
  disableBatch: false,
  silenceInitializationMessage: true,
  logLevel: "error",
  disabledInstrumentations: ["http", "openAI", "anthropic", "azureOpenAI", "cohere", "bedrock", "googleVertexAI", "googleAIPlatform", "pinecone", "together", "langChain", "llamaIndex", "chromaDB", "qdrant"],
});

/**
 * @keywordsai/tracing 1.0.44 writes console.debug lines to stdout at start-up and for EVERY span
 * that ends (its filtering processor logs each one). The bench silences console.debug and
 * console.info in this contender's process: its one JSON line must stay readable, and a terminal's
 * or pipe's speed is not what is compared. This favours KeywordsAI: a real process pays for those
 * writes.
 */
export function silenceKeywordsaiLogging() {
  console.debug = () => {};
  console.info = () => {};
}

export async function loadKeywordsai() {
  silenceKeywordsaiLogging();
  return import(pathToFileURL(contendersRequire.resolve(EXTERNAL.keywordsai.pkg)).href);
}

export async function setupKeywordsai(url) {
  const { KeywordsAITelemetry } = await loadKeywordsai();
  const keywordsai = new KeywordsAITelemetry(KEYWORDSAI_OPTIONS(url));
  await keywordsai.initialize();
  const api = createRequire(contendersRequire.resolve(EXTERNAL.keywordsai.pkg))("@opentelemetry/api");
  return {
    ...sameWork(keywordsai),
    // Its own shutdown() is its only flush and shuts the SDK down: flush through the provider.
    flush: () => bounded(api.trace.getTracerProvider().getDelegate?.().forceFlush?.()),
    shutdown: () => bounded(keywordsai.shutdown()),
    stats: () => undefined,
  };
}
