import type { Transport, TransportRequest, TransportResponse } from "../core/transport.js";

export interface FetchTransportOptions {
  /** The platform's `fetch`, captured before any instrumentation can wrap it. */
  fetch: typeof globalThis.fetch;
  /** Lets a request outlive the page (browsers); the caller keeps bodies under the 64 KiB budget. */
  keepalive?: boolean;
  /** A request that hangs longer than this is aborted and counts as a network error (then retried). */
  timeoutMs?: number;
}

/** OTel JS exporters abort a request after 10 s; the same bound keeps a hung socket from stalling the queue. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** A transport over `fetch`, the one HTTP client every target runtime has. */
export function createFetchTransport({ fetch, keepalive = false, timeoutMs = DEFAULT_TIMEOUT_MS }: FetchTransportOptions): Transport {
  return {
    async send({ url, body, headers }: TransportRequest): Promise<TransportResponse> {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      try {
        const response = await fetch(url, { method: "POST", body: body as BodyInit, headers, keepalive, signal: abort.signal });
        // Drain the body so the connection can be reused (undici keeps it busy otherwise).
        await response.arrayBuffer().catch(() => undefined);
        return { status: response.status, retryAfter: response.headers.get("retry-after") };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
