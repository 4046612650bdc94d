/**
 * `respan-tracing/relay`: the server side of browser tracing. Browsers post OTLP JSON to a route
 * (same-origin, or on another origin for a widget embedded elsewhere: the relay answers CORS for
 * the allowed origins); the relay checks origin, size and shape, adds the API key server-side and
 * forwards to Respan (or any OTLP endpoint, e.g. a Collector). The key never reaches the browser
 * and is never echoed back.
 * @example
 * // app/api/respan-traces/route.ts (also a Worker's fetch, or Deno.serve's handler)
 * const relay = createTraceRelay({ apiKey: process.env.RESPAN_API_KEY!, allowedOrigins: ["https://chat.example.com"] });
 * export const POST = relay;
 * export const OPTIONS = relay; // only needed when pages on other origins post here
 */
import { normaliseBaseUrl, DEFAULT_BASE_URL } from "../core/options.js";
import { countOrDefault, timeoutOrDefault } from "../core/deadline.js";
import { originalFetch } from "./fetch.js";

export interface TraceRelayOptions {
  /** Respan API key, added as a Bearer token upstream. */
  apiKey?: string;
  /** Default https://api.respan.ai/api; spans go to {baseUrl}/v2/traces. */
  baseUrl?: string;
  /** Full upstream OTLP URL instead (e.g. an OpenTelemetry Collector). */
  exportUrl?: string;
  /** Exact origins (scheme://host[:port]) whose pages may post spans. */
  allowedOrigins: string[];
  /** Largest accepted body. Default 1 MiB: far above the SDK's 60 KiB browser bodies. */
  maxBodyBytes?: number;
  /** Extra headers for the upstream request. */
  headers?: Record<string, string>;
  /** The fetch used upstream (default: the global one, captured now). */
  fetch?: typeof globalThis.fetch;
  /**
   * How long the upstream may take to answer (status and body) before the relay gives up on it,
   * aborts the upstream request and answers 504. Default UPSTREAM_TIMEOUT_MS (10 s).
   */
  upstreamTimeoutMs?: number;
  /**
   * How long a client may take to send its request body before the relay stops reading it and
   * answers 408. Default BODY_TIMEOUT_MS (10 s).
   */
  bodyTimeoutMs?: number;
}

/**
 * The SDK's browser transport (like OTel JS exporters) abandons an export after 10 s, so an answer
 * later than that reaches no one; without a bound a hung upstream holds the request forever.
 */
export const UPSTREAM_TIMEOUT_MS = 10_000;

/**
 * A browser sends at most 60 KiB per export and abandons it after 10 s: a body still arriving
 * after that is a stalled or hostile client, which must not hold a server request open forever.
 */
export const BODY_TIMEOUT_MS = 10_000;

const JSON_TYPES = ["application/json", "text/plain"];

/** Browsers keep a preflight's answer this long (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_S = 7200;

function reply(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: message }), { status, headers: { ...headers, "content-type": "application/json" } });
}

/**
 * What lets a page on an allowed origin send to the relay and read its answer (without it a
 * cross-origin page sees every answer as a network error and retries what was delivered).
 * Credentials are allowed because `sendBeacon` always sends them: without it Chromium drops a
 * JSON beacon after its preflight, and the spans of a page being left are lost. The relay reads
 * no cookies, so allowing them grants nothing. `Vary` keeps a shared cache from serving one
 * origin's answer to another.
 */
function corsHeaders(origin: string): Record<string, string> {
  return { "access-control-allow-origin": origin, "access-control-allow-credentials": "true", vary: "Origin" };
}

/** Reads at most `limit` bytes within `timeoutMs`; "too large" or "too slow" otherwise. */
async function readLimited(request: Request, limit: number, timeoutMs: number): Promise<Uint8Array | "too large" | "too slow"> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  let timedOut = false;
  // Cancelling ends the pending read (done: true) and tells the client's stream to stop.
  const timer = setTimeout(() => {
    timedOut = true;
    reader.cancel().catch(() => undefined);
  }, timeoutMs);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (timedOut) return "too slow";
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        return "too large";
      }
      chunks.push(value);
    }
  } catch {
    // The client's stream errored (disconnect) or was cancelled by the timer.
    return "too slow";
  } finally {
    clearTimeout(timer);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function isOtlpTraceRequest(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as { resourceSpans?: unknown };
    return typeof parsed === "object" && parsed !== null && Array.isArray(parsed.resourceSpans);
  } catch {
    return false;
  }
}

/** Returns a `(request) => Promise<Response>` handler; see the module comment. */
export function createTraceRelay(options: TraceRelayOptions): (request: Request) => Promise<Response> {
  if (!Array.isArray(options?.allowedOrigins) || options.allowedOrigins.length === 0) {
    throw new TypeError("createTraceRelay(): allowedOrigins must list the origins of your pages, e.g. ['https://app.example.com']");
  }
  if (!options.apiKey && !options.exportUrl) {
    throw new TypeError("createTraceRelay(): pass apiKey (for Respan) or exportUrl (for an endpoint that needs no key)");
  }
  const upstream = options.exportUrl ?? `${normaliseBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL)}/v2/traces`;
  const allowed = new Set(options.allowedOrigins.map((origin) => origin.replace(/\/+$/, "")));
  const maxBodyBytes = countOrDefault(options.maxBodyBytes, 1024 * 1024);
  const send = options.fetch ?? originalFetch();
  // NaN (an unset environment variable), negatives and strings mean "the default".
  const upstreamTimeoutMs = timeoutOrDefault(options.upstreamTimeoutMs, UPSTREAM_TIMEOUT_MS);
  const bodyTimeoutMs = timeoutOrDefault(options.bodyTimeoutMs, BODY_TIMEOUT_MS);
  const headers: Record<string, string> = { ...(options.headers ?? {}), "content-type": "application/json" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  return async function relay(request: Request): Promise<Response> {
    const origin = request.headers.get("origin");
    const cors = origin !== null && allowed.has(origin) ? corsHeaders(origin) : undefined;
    if (request.method === "OPTIONS") {
      // The preflight of a JSON POST from another origin; other origins get no CORS headers.
      if (!cors) return reply(403, "origin not allowed", { vary: "Origin" });
      const preflight = { "access-control-allow-methods": "POST", "access-control-allow-headers": "content-type", "access-control-max-age": String(PREFLIGHT_MAX_AGE_S) };
      return new Response(null, { status: 204, headers: { ...cors, ...preflight } });
    }
    if (request.method !== "POST") return reply(405, "POST OTLP/HTTP JSON here", { ...cors, allow: "POST, OPTIONS" });
    if (!cors) return reply(403, "origin not allowed", { vary: "Origin" });
    const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!JSON_TYPES.includes(type)) return reply(415, "expected OTLP/HTTP JSON (application/json)", cors);
    const declared = Number(request.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > maxBodyBytes) return reply(413, `body over ${maxBodyBytes} bytes`, cors);
    const body = await readLimited(request, maxBodyBytes, bodyTimeoutMs);
    if (body === "too large") return reply(413, `body over ${maxBodyBytes} bytes`, cors);
    if (body === "too slow") return reply(408, `body not received within ${bodyTimeoutMs} ms`, cors);
    if (!isOtlpTraceRequest(new TextDecoder().decode(body))) return reply(400, "not an OTLP trace export request", cors);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), upstreamTimeoutMs);
    try {
      const response = await send(upstream, { method: "POST", headers, body: body as BodyInit, signal: abort.signal });
      // Drained so the connection can be reused; a body that trickles is cut off by the same abort.
      await response.arrayBuffer().catch(() => undefined);
      // Only the status goes back: upstream bodies and headers stay on the server.
      return new Response(null, { status: response.ok ? 202 : response.status >= 500 ? 502 : response.status, headers: cors });
    } catch {
      if (abort.signal.aborted) return reply(504, `upstream did not answer within ${upstreamTimeoutMs} ms`, cors);
      return reply(502, "upstream unreachable", cors);
    } finally {
      clearTimeout(timer);
    }
  };
}
