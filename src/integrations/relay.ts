/**
 * `respan-tracing/relay`: the server side of browser tracing. Browsers post OTLP JSON to a
 * same-origin route; the relay checks origin, size and shape, adds the API key server-side and
 * forwards to Respan (or any OTLP endpoint, e.g. a Collector). The key never reaches the browser
 * and is never echoed back.
 * @example
 * // app/api/respan-traces/route.ts (also a Worker's fetch, or Deno.serve's handler)
 * export const POST = createTraceRelay({ apiKey: process.env.RESPAN_API_KEY!, allowedOrigins: ["https://chat.example.com"] });
 */
import { normaliseBaseUrl, DEFAULT_BASE_URL } from "../core/options.js";
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
}

const JSON_TYPES = ["application/json", "text/plain"];

function reply(status: number, message: string): Response {
  return new Response(JSON.stringify({ error: message }), { status, headers: { "content-type": "application/json" } });
}

/** Reads at most `limit` bytes; undefined when the body is larger. */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
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
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const send = options.fetch ?? originalFetch();
  const headers: Record<string, string> = { ...(options.headers ?? {}), "content-type": "application/json" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  return async function relay(request: Request): Promise<Response> {
    if (request.method !== "POST") return reply(405, "POST OTLP/HTTP JSON here");
    const origin = request.headers.get("origin");
    if (!origin || !allowed.has(origin)) return reply(403, "origin not allowed");
    const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!JSON_TYPES.includes(type)) return reply(415, "expected OTLP/HTTP JSON (application/json)");
    const declared = Number(request.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > maxBodyBytes) return reply(413, `body over ${maxBodyBytes} bytes`);
    const body = await readLimited(request, maxBodyBytes);
    if (!body) return reply(413, `body over ${maxBodyBytes} bytes`);
    if (!isOtlpTraceRequest(new TextDecoder().decode(body))) return reply(400, "not an OTLP trace export request");
    try {
      const response = await send(upstream, { method: "POST", headers, body: body as BodyInit });
      await response.arrayBuffer().catch(() => undefined);
      // Only the status goes back: upstream bodies and headers stay on the server.
      return new Response(null, { status: response.ok ? 202 : response.status >= 500 ? 502 : response.status });
    } catch {
      return reply(502, "upstream unreachable");
    }
  };
}
