/**
 * The FETCH instrument: a client span for each outgoing `fetch` and a W3C `traceparent` on requests
 * to chosen origins (in browsers: the page's own origin by default), so a chat widget's trace
 * continues into the server route that answers it. The SDK's own exports are never traced.
 */
import { SpanKind, SpanStatusCode, context, type Span } from "@opentelemetry/api";
import { injectTraceparent } from "../core/traceparent.js";
import { endWhenSettled } from "../core/settle-span.js";
import { TRACE_PROPAGATED } from "../core/attributes.js";
import { isTracingSuppressed } from "@opentelemetry/core";
import { Instruments } from "../core/options.js";
import { hostFor } from "./llm/llm-call.js";
import { describeError } from "../core/describe-error.js";

const ORIGINAL = Symbol.for("respan-tracing.original-fetch");
/** Instrumentation scope of fetch spans (not the wrappers' TRACER_NAME: see the noise filter). */
const FETCH_TRACER_NAME = "respan-tracing/fetch";

type Fetch = typeof globalThis.fetch & { [ORIGINAL]?: typeof globalThis.fetch };

/** `fetch` as it was before we patched it: what exporters must use. */
export function originalFetch(): typeof globalThis.fetch {
  const current = globalThis.fetch as Fetch;
  return (current[ORIGINAL] ?? current).bind(globalThis);
}

export type PropagationTarget = string | RegExp;

/** A string target parsed once per call: its exact origin and the path it covers. */
function parseTarget(target: string, base: string | undefined): { origin: string; path: string } | undefined {
  let parsed: URL;
  try {
    // Only a path ("/api") is read against the page; "api.example.com" must not become a path.
    parsed = target.startsWith("/") && !target.startsWith("//") ? new URL(target, base) : new URL(target);
  } catch {
    return undefined;
  }
  // "https://x.com/api/" covers the same requests as "https://x.com/api".
  return { origin: parsed.origin, path: parsed.pathname.replace(/\/+$/, "") };
}

/**
 * The rule documented on `RespanOptions.tracePropagationTargets`: a string target matches a request
 * with exactly its origin whose path is the target's path or lies below it on a `/` boundary. A
 * prefix test on the text would send the trace id to `https://x.com.evil.net`, `https://x.com:8443`
 * or `https://x.com@evil.net`. A RegExp is tried on the full URL; `search` ignores a /g flag's
 * `lastIndex`, so the same request gets the same answer every time.
 */
export function shouldPropagate(url: URL, targets: readonly PropagationTarget[], base?: string): boolean {
  return targets.some((target) => {
    if (target instanceof RegExp) return url.href.search(target) !== -1;
    if (typeof target !== "string") return false;
    const parsed = parseTarget(target, base);
    if (!parsed || parsed.origin === "null" || parsed.origin !== url.origin) return false;
    return parsed.path === "" || url.pathname === parsed.path || url.pathname.startsWith(`${parsed.path}/`);
  });
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
    const base = (globalThis as { location?: { href: string } }).location?.href;
    let url: URL;
    try {
      url = new URL(input instanceof Request ? input.url : String(input), base);
    } catch {
      return original(input, init);
    }
    let span: Span;
    let request = init;
    try {
      const method = String(init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
      // Its own scope name: the noise filter keeps these only inside an entity, or when they
      // carried the trace to a server (whose spans would otherwise point at a missing parent).
      span = host.tracerProvider.getTracer(FETCH_TRACER_NAME).startSpan(
        `${method} ${url.host}`,
        { kind: SpanKind.CLIENT, attributes: { "http.request.method": method, "url.full": `${url.origin}${url.pathname}`, "server.address": url.hostname } },
        active,
      );
      if (shouldPropagate(url, propagateTo(), base)) {
        const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
        injectTraceparent(span, headers);
        request = { ...init, headers };
        span.setAttribute(TRACE_PROPAGATED, true);
      }
    } catch {
      // Input fetch itself will judge (e.g. bad headers): the app sees exactly fetch's own answer.
      return original(input, init);
    }
    return endWhenSettled(span, original(input, request), (response) => {
      span.setAttribute("http.response.status_code", response.status);
      if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    });
  } as Fetch;
  traced[ORIGINAL] = original;
  globalThis.fetch = traced;
  return true;
}

