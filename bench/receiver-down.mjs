/**
 * Bench (not a test): 100,000 spans while the receiver is down. The export queue must stay
 * bounded (it drops the oldest spans and counts them) so memory stays flat however long the
 * outage lasts.
 *
 *   npm run build && node --expose-gc bench/receiver-down.mjs [spans, default 100000]
 *
 * Prints peak heap and RSS growth and checks the drop count is exact: every span is either
 * queued (waiting, or in flight and retrying) or counted as dropped.
 */
import { createServer } from "node:net";
import { RespanTelemetry, withTask } from "../dist/node/index.js";
import { trackPeakMemory } from "./lib/memory.mjs";

const TOTAL = Number(process.argv[2] ?? 100_000);
const BOUND_MB = 128; // the stated bound on peak heap growth (Node queue: 65,536 spans or 64 MiB estimated)

// A port nobody listens on: the receiver is down for the whole run.
const probe = createServer();
await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
const { port } = probe.address();
await new Promise((resolve) => probe.close(resolve));

const memory = trackPeakMemory();

const telemetry = new RespanTelemetry({ apiKey: "bench-key-0000", baseUrl: `http://127.0.0.1:${port}`, env: {}, logLevel: "critical" });
const started = performance.now();
for (let i = 0; i < TOTAL; i++) {
  withTask({ name: "bench_span" }, () => i);
  if (i % 1000 === 0) memory.sample();
}
const elapsed = performance.now() - started;
globalThis.gc?.();
memory.sample();

const stats = telemetry.getDeliveryStats();
const { heap: heapGrowthMb, rss: rssGrowthMb } = memory.growthMb();
// Every span is exactly one of: exported, failed, dropped (counted) or queued (waiting or in flight).
const accounted = stats.exported + stats.failed + stats.dropped + stats.queued;
const result = {
  spans: TOTAL,
  spansPerSecond: Math.round(TOTAL / (elapsed / 1000)),
  stats,
  dropCountExact: accounted === TOTAL && stats.dropped > 0,
  peakHeapGrowthMb: Number(heapGrowthMb.toFixed(1)),
  peakRssGrowthMb: Number(rssGrowthMb.toFixed(1)),
  boundMb: BOUND_MB,
  withinBound: heapGrowthMb < BOUND_MB,
};
console.log(JSON.stringify(result));
// The in-flight batch would keep retrying for up to a minute; the measurement is done.
process.exit(result.dropCountExact && result.withinBound ? 0 : 1);
