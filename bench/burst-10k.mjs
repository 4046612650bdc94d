/**
 * Bench (c): 10,000 concurrent workflows of 5 spans each (50,000 spans) started at once, with
 * default settings; then a flush. Counts the spans the loopback receiver got (delivered) and
 * samples peak heap and RSS growth.
 *
 *   node --expose-gc bench/burst-10k.mjs <respan|otel> [workflows]
 *
 * Prints one JSON line: { contender, spans, delivered, dropped, burstMs, peakHeapMb, peakRssMb }.
 */
import { setup } from "./lib/contenders.mjs";
import { startSink } from "./lib/sink.mjs";
import { trackPeakMemory } from "./lib/memory.mjs";

const [contender, workflowsArg] = process.argv.slice(2);
const WORKFLOWS = Number(workflowsArg ?? 10_000);
const SPANS_PER_WORKFLOW = 5; // the workflow and its 4 awaited tasks
const FLUSH_LIMIT_MS = 60_000;

const sink = await startSink({ count: true });
const sdk = await setup(contender, sink.url);
const memory = trackPeakMemory();
const sampler = setInterval(memory.sample, 10);

const started = performance.now();
await Promise.all(Array.from({ length: WORKFLOWS }, (_, i) => sdk.flow(i)));
const burstMs = performance.now() - started;
const stats = sdk.stats();
const flushStarted = performance.now();
await Promise.race([sdk.flush(), new Promise((resolve) => setTimeout(resolve, FLUSH_LIMIT_MS))]);
const flushMs = performance.now() - flushStarted;
clearInterval(sampler);
memory.sample();
const growth = memory.growthMb();
const spans = WORKFLOWS * SPANS_PER_WORKFLOW;
const delivered = sink.received.spans;
console.log(
  JSON.stringify({
    contender,
    spans,
    delivered,
    dropped: spans - delivered,
    counted: stats,
    burstMs: Math.round(burstMs),
    flushMs: Math.round(flushMs),
    peakHeapMb: Number(growth.heap.toFixed(1)),
    peakRssMb: Number(growth.rss.toFixed(1)),
  }),
);
await sdk.shutdown();
await sink.close();
process.exit(0);
