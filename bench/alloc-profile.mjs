/**
 * Bytes allocated per call, by the function that allocated them, for one contender in the
 * overflowing burst of bench (b): V8's sampling heap profiler, keeping what the garbage collector
 * already freed. Garbage per call is what sets how often the young generation is collected, and
 * with a drop-oldest queue each collection copies every queued span.
 *
 *   npm run build && node bench/alloc-profile.mjs <respan|otel> [calls] [top]
 *   FOCUS=<function name part> node bench/alloc-profile.mjs respan     also the stacks that allocate there
 */
import { Session } from "node:inspector/promises";
import { setup } from "./lib/contenders.mjs";
import { startSink } from "./lib/sink.mjs";

const [contender = "respan", callsArg, topArg] = process.argv.slice(2);
const CALLS = Math.min(Number(callsArg ?? 20_000), 200_000);
const TOP = Number(topArg ?? 30);
const WARMUP = 3_000;
/** Bytes between samples: small enough that a few-byte-per-call allocation still shows. */
const SAMPLING_INTERVAL = 512;

const sink = await startSink();
const sdk = await setup(contender, sink.url, { maxQueueSize: 2048 });
await new Promise((resolve) => setTimeout(resolve, 500)); // respan's one-time module discovery
for (let i = 0; i < WARMUP; i++) sdk.call(i);
await sdk.flush();

const session = new Session();
session.connect();
await session.post("HeapProfiler.enable");
await session.post("HeapProfiler.startSampling", { samplingInterval: SAMPLING_INTERVAL, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
for (let i = 0; i < CALLS; i++) sdk.call(i);
const { profile } = await session.post("HeapProfiler.stopSampling");

const byFunction = new Map();
const byStack = new Map();
let total = 0;
const frameName = ({ functionName, url, lineNumber }) => `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${lineNumber}`;
const walk = (node, stack) => {
  const name = frameName(node.callFrame);
  const here = [...stack, name];
  if (node.selfSize) {
    total += node.selfSize;
    byFunction.set(name, (byFunction.get(name) ?? 0) + node.selfSize);
    if (process.env.FOCUS && node.callFrame.functionName.includes(process.env.FOCUS)) {
      const key = here.slice(-6).join(" → ");
      byStack.set(key, (byStack.get(key) ?? 0) + node.selfSize);
    }
  }
  for (const child of node.children) walk(child, here);
};
walk(profile.head, []);

const perCall = (bytes) => String(Math.round(bytes / CALLS)).padStart(6);
console.log(`${contender}: ${Math.round(total / CALLS)} bytes allocated per call (${CALLS} calls, 2 spans each)`);
for (const [name, bytes] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${perCall(bytes)} B  ${name}`);
for (const [stack, bytes] of [...byStack].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`${perCall(bytes)} B  ${stack}`);
await sdk.shutdown();
await sink.close();
process.exit(0);
