/**
 * W3C trace context headers, read and written by hand: @opentelemetry/core's
 * W3CTraceContextPropagator does the same, but each bundle needs only one half of it and its
 * TraceState parser; test/traceparent.test.ts checks both halves against it header for header.
 */
import { ROOT_CONTEXT, TraceFlags, isSpanContextValid, trace, type Context, type Span } from "@opentelemetry/api";
import { TraceState } from "@opentelemetry/core";

/**
 * W3C traceparent: version (not ff), trace id (not all zeros), parent id (not all zeros), flags,
 * and for future versions more fields. The same pattern as @opentelemetry/core's
 * W3CTraceContextPropagator.
 */
const TRACEPARENT = /^\s?((?!ff)[\da-f]{2})-((?![0]{32})[\da-f]{32})-((?![0]{16})[\da-f]{16})-([\da-f]{2})(-.*)?\s?$/;

/**
 * The parent context an incoming W3C `traceparent` (and `tracestate`) header describes, if any:
 * what W3CTraceContextPropagator.extract returns for a Headers carrier (Headers joins repeated
 * headers with ", "), written out so Workers and edge bundles carry only this half of it.
 */
export function contextFromHeaders(headers: Headers | undefined): Context {
  const match = TRACEPARENT.exec(headers?.get("traceparent") ?? "");
  // Version 00 has exactly four fields; later versions may add some (W3C trace-context versioning).
  if (!match || (match[1] === "00" && match[5])) return ROOT_CONTEXT;
  const state = headers!.get("tracestate");
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: match[2]!,
    spanId: match[3]!,
    traceFlags: parseInt(match[4]!, 16),
    isRemote: true,
    ...(state ? { traceState: new TraceState(state) } : {}),
  });
}

/**
 * W3C `traceparent` (and `tracestate`) for `span`, exactly as @opentelemetry/core's
 * W3CTraceContextPropagator.inject writes them (version 00). Not that class: its `extract` half
 * and TraceState parser are ~2 KB of every browser bundle, and only inject is needed here.
 */
export function injectTraceparent(span: Span, headers: Headers): void {
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return;
  const { traceId, spanId, traceFlags, traceState } = spanContext;
  headers.set("traceparent", `00-${traceId}-${spanId}-0${Number(traceFlags || TraceFlags.NONE).toString(16)}`);
  if (traceState) headers.set("tracestate", traceState.serialize());
}

