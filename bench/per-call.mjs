/**
 * Bench (a)/(b): µs per call of one contender, in its own process.
 *
 *   node --expose-gc bench/per-call.mjs <respan|otel|traceloop|keywordsai> <steady|burst> [calls]
 *
 * traceloop and keywordsai load from bench/contenders/ (installed by `npm run bench`, or by hand:
 * `npm ci --prefix bench/contenders --no-audit --no-fund`); bench/run.mjs runs them in steady only.
 *
 * steady: the loop yields to the event loop every 20 calls (as real I/O would), so export runs
 *         during the loop; default settings.
 * burst:  one synchronous loop that overflows the export queue (both bounded at 2048 spans, the
 *         OTel default), so the drop path runs on most spans.
 * Prints one JSON line: { contender, mode, calls, usPerCall (wall), cpuUsPerCall (this process's CPU
 * time, less sensitive to other processes on a shared machine), stats }.
 */
import { setup } from "./lib/contenders.mjs";
import { startSink } from "./lib/sink.mjs";

const [contender, mode = "steady", callsArg] = process.argv.slice(2);
const CALLS = Number(callsArg ?? 20_000);
const WARMUP = 3_000;
const YIELD_EVERY = 20;
/** Every loop is bounded in time as well as in count. */
const MAX_LOOP_MS = 30_000;
/** Time for one-time work after construction (module discovery) to finish before timing. */
const SETTLE_MS = 500;

const sink = await startSink();
const sdk = await setup(contender, sink.url, mode === "burst" ? { maxQueueSize: 2048 } : {});
const tick = () => new Promise((resolve) => setImmediate(resolve));
// respan-tracing looks for installed LLM clients (openai, @anthropic-ai/sdk) after construction,
// asynchronously: let that one-time import finish (startup.mjs measures startup) before timing.
await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

// Warm up (JIT, sockets), then let the queue empty so each measurement starts alike.
for (let i = 0; i < WARMUP; i++) {
  sdk.call(i);
  if (i % YIELD_EVERY === 0) await tick();
}
await sdk.flush();
globalThis.gc?.();

let calls = 0;
const cpuBefore = process.cpuUsage();
const started = performance.now();
if (mode === "burst") {
  for (; calls < CALLS && (calls % 1000 !== 0 || performance.now() - started < MAX_LOOP_MS); calls++) sdk.call(calls);
} else {
  for (; calls < CALLS && performance.now() - started < MAX_LOOP_MS; calls++) {
    sdk.call(calls);
    if (calls % YIELD_EVERY === YIELD_EVERY - 1) await tick();
  }
}
const elapsed = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const stats = sdk.stats();
await sdk.flush();
await sdk.shutdown();
await sink.close();
console.log(JSON.stringify({ contender, mode, calls, usPerCall: (elapsed * 1000) / calls, cpuUsPerCall: (cpu.user + cpu.system) / calls, stats }));
process.exit(0);
