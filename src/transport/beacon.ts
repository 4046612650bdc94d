import type { Transport, TransportRequest, TransportResponse } from "../core/transport.js";
import { KEEPALIVE_BODY_LIMIT } from "./fetch.js";

export interface BeaconTransportOptions {
  /** `navigator.sendBeacon`, bound, captured at start. */
  sendBeacon: (url: string, data: Blob) => boolean;
  /** Used while the page is visible, and whenever a beacon cannot carry the request. */
  fallback: Transport;
  /** True from `pagehide` / `visibilitychange: hidden` until the page is shown again. */
  isLeaving: () => boolean;
}

/**
 * While the page is being left, sends with `navigator.sendBeacon`, which the browser delivers
 * even after the page is gone. A beacon carries no custom headers, so requests with any
 * (an Authorization header) and bodies over the quota use the fallback (fetch keepalive).
 */
export function createBeaconTransport({ sendBeacon, fallback, isLeaving }: BeaconTransportOptions): Transport {
  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      const plain = Object.keys(request.headers).every((name) => name.toLowerCase() === "content-type");
      if (isLeaving() && plain && request.body.byteLength <= KEEPALIVE_BODY_LIMIT) {
        let queued = false;
        try {
          queued = sendBeacon(request.url, new Blob([request.body as BlobPart], { type: "application/json" }));
        } catch {
          queued = false;
        }
        // Queued: the browser owns delivery now and no answer will ever be seen; treat as accepted.
        if (queued) return { status: 202 };
      }
      return fallback.send(request);
    },
  };
}
