/**
 * The SDK writes and reads W3C traceparent itself (bundle size: see fetch.ts, invocation.ts); it
 * must do exactly what @opentelemetry/core's W3CTraceContextPropagator does, header for header.
 */
import { ROOT_CONTEXT, TraceFlags, trace, type Span } from "@opentelemetry/api";
import { TraceState, W3CTraceContextPropagator } from "@opentelemetry/core";
import { describe, expect, it } from "vitest";
import { contextFromHeaders, injectTraceparent } from "../src/core/traceparent.js";

const otel = new W3CTraceContextPropagator();
const TRACE = "0af7651916cd43dd8448eb211c80319c";
const SPAN = "b7ad6b7169203331";

const otelExtract = (headers: Headers) =>
  trace.getSpanContext(otel.extract(ROOT_CONTEXT, headers, { get: (carrier, key) => carrier.get(key) ?? undefined, keys: (carrier) => [...carrier.keys()] }));

describe("traceparent, as OpenTelemetry's W3C propagator", () => {
  it("reads the same parent from every kind of header (valid, invalid, future versions, tracestate)", () => {
    const cases: Array<Record<string, string>> = [
      {},
      { traceparent: `00-${TRACE}-${SPAN}-01` },
      { traceparent: `00-${TRACE}-${SPAN}-00` },
      { traceparent: ` 00-${TRACE}-${SPAN}-01 ` },
      { traceparent: `00-${TRACE}-${SPAN}-01-extra` }, // version 00 has exactly four fields
      { traceparent: `01-${TRACE}-${SPAN}-01-extra` }, // later versions may add fields
      { traceparent: `ff-${TRACE}-${SPAN}-01` },
      { traceparent: `00-${"0".repeat(32)}-${SPAN}-01` },
      { traceparent: `00-${TRACE}-${"0".repeat(16)}-01` },
      { traceparent: `00-${TRACE.toUpperCase()}-${SPAN}-01` },
      { traceparent: `00-${TRACE}-${SPAN}` },
      { traceparent: "garbage" },
      { traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE" },
      { traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: "" },
      { traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: "not a valid=state,,x" },
    ];
    for (const init of cases) {
      const ours = trace.getSpanContext(contextFromHeaders(new Headers(init)));
      const theirs = otelExtract(new Headers(init));
      expect({ ...ours, traceState: ours?.traceState?.serialize() }, JSON.stringify(init)).toEqual({ ...theirs, traceState: theirs?.traceState?.serialize() });
    }
    expect(trace.getSpanContext(contextFromHeaders(undefined))).toBeUndefined();
  });

  it("writes the same headers for sampled, unsampled, tracestate-carrying and invalid span contexts", () => {
    const contexts = [
      { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED },
      { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.NONE },
      { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED, traceState: new TraceState("rojo=00f067aa0ba902b7") },
      { traceId: "0".repeat(32), spanId: SPAN, traceFlags: TraceFlags.SAMPLED },
    ];
    for (const spanContext of contexts) {
      const ours = new Headers();
      injectTraceparent({ spanContext: () => spanContext } as Span, ours);
      const theirs = new Headers();
      otel.inject(trace.setSpanContext(ROOT_CONTEXT, spanContext), theirs, { set: (carrier, key, value) => carrier.set(key, value) });
      expect([...ours], JSON.stringify(spanContext)).toEqual([...theirs]);
    }
  });
});
