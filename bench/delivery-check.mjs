/**
 * Does a contender's work reach the receiver? Not a timing: N calls of (a)'s work (2 spans each),
 * a flush, then the spans the loopback sink decoded (OTLP/JSON or protobuf). bench/run.mjs runs it
 * once per contender so RESULTS.md shows each one really exported what it was timed doing.
 *
 *   node bench/delivery-check.mjs <respan|otel|traceloop|keywordsai> [calls, default 1000]
 *
 * Prints one JSON line: { contender, calls, expected, received, requests, protobufRequests }.
 */
import { setup } from "./lib/contenders.mjs";
import { startSink } from "./lib/sink.mjs";

const [contender, callsArg] = process.argv.slice(2);
const CALLS = Math.max(1, Math.min(100_000, Number(callsArg ?? 1000) || 1000));
const SPANS_PER_CALL = 2;
/** Traceloop ends its workflow span a microtask after the call: let those run before the flush. */
const SETTLE_MS = 50;

const sink = await startSink({ count: true });
const sdk = await setup(contender, sink.url);
for (let i = 0; i < CALLS; i++) sdk.call(i);
await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
await sdk.flush();
const { spans, requests, protobufRequests } = sink.received;
console.log(JSON.stringify({ contender, calls: CALLS, expected: CALLS * SPANS_PER_CALL, received: spans, requests, protobufRequests }));
await sdk.shutdown();
await sink.close();
process.exit(0);
