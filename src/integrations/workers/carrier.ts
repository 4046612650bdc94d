/**
 * How the caller's trace context rides from one Worker / Durable Object to another, and how it is
 * removed before user code sees anything. The rule (SPEC §11): the callee receives exactly the
 * arguments and message bodies that were sent, whether or not it is instrumented.
 *
 * - fetch (DO stubs, service bindings): a W3C `traceparent` / `tracestate` header, the standard
 *   carrier every HTTP server ignores or honours.
 * - RPC has no headers. An instrumented class (instrumentDurableObject / instrumentWorkerEntrypoint)
 *   has one extra prototype method, RPC_CARRIER_METHOD(carrier, method, args), that runs `method`
 *   with `args` exactly as given inside the caller's trace. The caller uses it only for a binding it
 *   has learned has that method: before the first call through a binding it sends a probe
 *   (RPC_CARRIER_METHOD(null, RPC_PROBE, [])), which an instrumented callee answers with
 *   RPC_CARRIER_VERSION without running any user code. workerd's "does not implement the method"
 *   (a TypeError) or another value marks the binding plain for the isolate; any other failure (the
 *   callee's constructor threw, the network) makes that one call plain and the next one probes
 *   again. So an uninstrumented callee only ever sees plain calls (and one probe it rejects), and
 *   no user call ever depends on reading an error message. A callee can lose the method while
 *   the caller's isolate lives on (redeployed without instrumentation): a carrier call refused with
 *   a TypeError makes the caller probe again, and a callee that now says no gets the plain call.
 * - Queues carry nothing but the body (Message = id, timestamp, body, attempts; send options are
 *   contentType and delaySeconds). A body is wrapped in an envelope only for queues the user
 *   declares (`tracedQueues`) as consumed by an instrumented consumer, which unwraps it before the
 *   handler reads `message.body`. Undeclared queues get the body untouched, and no link.
 */
import { ROOT_CONTEXT, context, trace, type Context } from "@opentelemetry/api";
import { contextFromHeaders, injectTraceparent } from "../../core/traceparent.js";

/** W3C trace context as plain strings: `{ traceparent, tracestate? }`. */
export type TraceCarrier = Record<string, string>;

/** The hidden prototype method of instrumented classes; a name no user RPC method plausibly has. */
export const RPC_CARRIER_METHOD = "__respanTracedCall";

/** The key that marks a queue envelope; unlikely enough that a user body never has it by chance. */
export const QUEUE_ENVELOPE_KEY = "__respanTraceEnvelope";
/** Envelope format version, so a later format can be told apart (an unknown one is left as is). */
const QUEUE_ENVELOPE_VERSION = 1;

/** The active context's trace as a carrier; empty when there is no recording span. */
export function injectCarrier(ctx: Context = context.active()): TraceCarrier {
  const span = trace.getSpan(ctx);
  if (!span) return {};
  const headers = new Headers();
  injectTraceparent(span, headers);
  return Object.fromEntries(headers);
}

/** The parent context a carrier describes (ROOT when it describes none, or is not a carrier). */
export function extractCarrier(carrier: unknown): Context {
  if (!carrier || typeof carrier !== "object") return ROOT_CONTEXT;
  const record = carrier as Record<string, unknown>;
  const headers = new Headers();
  // Only these two, only strings: a carrier comes from another Worker and may be anything.
  try {
    for (const key of ["traceparent", "tracestate"]) {
      const value = record[key];
      if (typeof value === "string") headers.set(key, value);
    }
  } catch {
    return ROOT_CONTEXT; // a throwing getter or an invalid header value: not a trace context
  }
  return contextFromHeaders(headers);
}

/** True when a context carries a valid remote or local span context. */
export function hasParent(ctx: Context): boolean {
  const span = trace.getSpanContext(ctx);
  return span !== undefined && trace.isSpanContextValid(span);
}

/** A copy of the request with the caller's trace headers set (the original is not changed). */
export function requestWithCarrier(input: RequestInfo | URL, init: RequestInit | undefined, ctx: Context): Request {
  const request = new Request(input as RequestInfo, init);
  const headers = new Headers(request.headers);
  for (const [key, value] of Object.entries(injectCarrier(ctx))) headers.set(key, value);
  return new Request(request, { headers });
}

/** The method name of the probe; never an RPC method (it starts with the carrier's own prefix). */
export const RPC_PROBE = "__respanProbe";
/** What an instrumented callee answers to the probe; a later carrier format changes it. */
export const RPC_CARRIER_VERSION = "respan-rpc-carrier/1";

export interface QueueEnvelope {
  [QUEUE_ENVELOPE_KEY]: number;
  carrier: TraceCarrier;
  body: unknown;
}

/** The body wrapped with the caller's trace (only for queues declared as traced). */
export function wrapQueueBody(body: unknown, carrier: TraceCarrier): QueueEnvelope {
  return { [QUEUE_ENVELOPE_KEY]: QUEUE_ENVELOPE_VERSION, carrier, body };
}

/** The original body and the producer's context, if `body` is one of our envelopes; else the body as is. */
export function unwrapQueueBody(body: unknown): { body: unknown; parent?: Context } {
  if (!body || typeof body !== "object" || Array.isArray(body)) return { body };
  const record = body as Record<string, unknown>;
  if (record[QUEUE_ENVELOPE_KEY] !== QUEUE_ENVELOPE_VERSION || !("body" in record)) return { body };
  const parent = extractCarrier(record.carrier);
  return { body: record.body, parent: hasParent(parent) ? parent : undefined };
}
