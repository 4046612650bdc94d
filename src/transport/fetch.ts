import type { Transport, TransportRequest, TransportResponse } from "../core/transport.js";

export interface FetchTransportOptions {
  /** The platform's `fetch`, captured before any instrumentation can wrap it. */
  fetch: typeof globalThis.fetch;
  /** Lets a request outlive the page (browsers); the caller keeps bodies under the 64 KiB budget. */
  keepalive?: boolean;
  /** A request that hangs longer than this is aborted and counts as a network error (then retried). */
  timeoutMs?: number;
}

/**
 * The Fetch standard caps the bodies of all in-flight keepalive requests at 64 KiB together;
 * a larger keepalive request fails outright. 60 KiB leaves room for one small request beside it.
 */
export const KEEPALIVE_BODY_LIMIT = 60 * 1024;

/** OTel JS exporters abort a request after 10 s; the same bound keeps a hung socket from stalling the queue. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** A transport over `fetch`, the one HTTP client every target runtime has. */
export function createFetchTransport({ fetch, keepalive = false, timeoutMs = DEFAULT_TIMEOUT_MS }: FetchTransportOptions): Transport {
  return {
    async send({ url, body, headers }: TransportRequest): Promise<TransportResponse> {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      try {
        // A body over the keepalive quota goes as a normal request (it would fail as a keepalive one).
        const useKeepalive = keepalive && body.byteLength <= KEEPALIVE_BODY_LIMIT;
        const response = await fetch(url, { method: "POST", body: body as BodyInit, headers, keepalive: useKeepalive, signal: abort.signal });
        // Drain the body so the connection can be reused (undici keeps it busy otherwise).
        await response.arrayBuffer().catch(() => undefined);
        return { status: response.status, retryAfter: response.headers.get("retry-after") };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
