/**
 * The FETCH instrument: a client span for each outgoing `fetch` and a W3C `traceparent` on requests
 * to chosen origins (in browsers: the page's own origin by default), so a chat widget's trace
 * continues into the server route that answers it. The SDK's own exports are never traced.
 */
import { SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator, isTracingSuppressed } from "@opentelemetry/core";
import { Instruments } from "../core/options.js";
import { hostFor } from "./llm/llm-call.js";

const ORIGINAL = Symbol.for("respan-tracing.original-fetch");
const propagator = new W3CTraceContextPropagator();

type Fetch = typeof globalThis.fetch & { [ORIGINAL]?: typeof globalThis.fetch };

/** `fetch` as it was before we patched it: what exporters must use. */
export function originalFetch(): typeof globalThis.fetch {
  const current = globalThis.fetch as Fetch;
  return (current[ORIGINAL] ?? current).bind(globalThis);
}

export type PropagationTarget = string | RegExp;

function matches(url: URL, targets: readonly PropagationTarget[]): boolean {
  return targets.some((target) => (typeof target === "string" ? url.origin === target || url.href.startsWith(target) : target.test(url.href)));
}

/**
 * Wraps globalThis.fetch once. `targets(url)` says whether to add `traceparent`; the instance
 * current at each call decides whether FETCH is on.
 */
export function instrumentFetch(propagateTo: () => readonly PropagationTarget[]): boolean {
  const current = globalThis.fetch as Fetch | undefined;
  if (typeof current !== "function") return false;
  if (current[ORIGINAL]) return true;
  const original = current;
  const traced: Fetch = function (input: RequestInfo | URL, init?: RequestInit) {
    const host = hostFor(Instruments.FETCH);
    const active = context.active();
    if (!host || isTracingSuppressed(active)) return original(input, init);
    let url: URL;
    try {
      url = new URL(input instanceof Request ? input.url : String(input), (globalThis as { location?: { href: string } }).location?.href);
    } catch {
      return original(input, init);
    }
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const span = host.tracer.startSpan(
      `${method} ${url.host}`,
      { kind: SpanKind.CLIENT, attributes: { "http.request.method": method, "url.full": `${url.origin}${url.pathname}`, "server.address": url.hostname } },
      active,
    );
    let request = init;
    if (matches(url, propagateTo())) {
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      propagator.inject(trace.setSpan(active, span), headers, { set: (carrier, key, value) => carrier.set(key, value) });
      request = { ...init, headers };
    }
    return original(input, request).then(
      (response) => {
        span.setAttribute("http.response.status_code", response.status);
        if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
        return response;
      },
      (error: unknown) => {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        span.end();
        throw error;
      },
    );
  } as Fetch;
  traced[ORIGINAL] = original;
  globalThis.fetch = traced;
  return true;
}

