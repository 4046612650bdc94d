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

/** Requests that may be keepalive at once: the quota is per page, and the page's own requests share it. */
const MAX_KEEPALIVE_REQUESTS = 4;

/** Keepalive bodies in flight, shared by every transport in this page (the quota is the page's). */
const keepaliveInFlight = { bytes: 0, requests: 0 };

/** OTel JS exporters abort a request after 10 s; the same bound keeps a hung socket from stalling the queue. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** A transport over `fetch`, the one HTTP client every target runtime has. */
export function createFetchTransport({ fetch, keepalive = false, timeoutMs = DEFAULT_TIMEOUT_MS }: FetchTransportOptions): Transport {
  return {
    async send({ url, body, headers, signal }: TransportRequest): Promise<TransportResponse> {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      const onGiveUp = () => abort.abort(new Error("the SDK gave up on this export"));
      if (signal?.aborted) onGiveUp();
      signal?.addEventListener("abort", onGiveUp);
      try {
        // Beyond the shared quota a request goes without keepalive (as one, it would fail outright).
        const useKeepalive =
          keepalive &&
          keepaliveInFlight.requests < MAX_KEEPALIVE_REQUESTS &&
          keepaliveInFlight.bytes + body.byteLength <= KEEPALIVE_BODY_LIMIT;
        if (useKeepalive) {
          keepaliveInFlight.bytes += body.byteLength;
          keepaliveInFlight.requests += 1;
        }
        try {
          const response = await fetch(url, { method: "POST", body: body as BodyInit, headers, keepalive: useKeepalive, signal: abort.signal });
          // Drain the body so the connection can be reused (undici keeps it busy otherwise).
          await response.arrayBuffer().catch(() => undefined);
          return { status: response.status, retryAfter: response.headers.get("retry-after") };
        } finally {
          if (useKeepalive) {
            keepaliveInFlight.bytes -= body.byteLength;
            keepaliveInFlight.requests -= 1;
          }
        }
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onGiveUp);
      }
    },
  };
}
