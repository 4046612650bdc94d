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
