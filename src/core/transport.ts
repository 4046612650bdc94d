import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";

/** One HTTP request of an exporter; transports differ in how the bytes leave, not in what they are. */
export interface TransportRequest {
  url: string;
  body: Uint8Array;
  headers: Record<string, string>;
  /** Aborts the request (the SDK gives up on it: exit flush or shutdown past their deadline). */
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  /** The `Retry-After` header, if the server sent one. */
  retryAfter?: string | null;
}

/** Sends one request. Resolves with the HTTP status; rejects only on a network failure. */
export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
}

/**
 * Encodes spans into request bodies that each fit the transport's quota, with `encode` (one body
 * per call); `counts[i]` is how many spans `bodies[i]` carries; spans that cannot be made to fit
 * come back in `unsendable`.
 */
export type FitBodies = (spans: ReadableSpan[], encode: (spans: ReadableSpan[]) => Uint8Array) => { bodies: Uint8Array[]; counts: number[]; unsendable: ReadableSpan[] };
