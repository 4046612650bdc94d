/**
 * A loopback stand-in for Respan's OTLP endpoint: it decodes every OTLP/HTTP JSON request into
 * flat span records so tests can assert on the trace exactly as the server would receive it.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
  links: Array<{ traceId: string; spanId: string; attributes: Record<string, unknown> }>;
  status: { code?: number; message?: string };
  resource: Record<string, unknown>;
  scope: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
}

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  spanCount: number;
  /** Size of the request body in bytes. */
  bytes: number;
}

/** Decides the answer to one request; undefined means 200. */
export type Responder = (request: { path: string; index: number }) => { status: number; headers?: Record<string, string> } | undefined;

export interface OtlpReceiver {
  url: string;
  spans: ReceivedSpan[];
  requests: ReceivedRequest[];
  /** GET requests (page loads, fetches from a page), with their headers. */
  gets: Array<{ path: string; headers: IncomingHttpHeaders }>;
  respond(responder: Responder | undefined): void;
  waitForSpans(count: number, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
  bytesValue?: string;
};
type KeyValue = { key: string; value: AnyValue };

export function decodeValue(value: AnyValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(decodeValue);
  if (value.kvlistValue) return decodeAttributes(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return undefined;
}

export function decodeAttributes(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, decodeValue(value)]));
}

/** Flattens an OTLP ExportTraceServiceRequest (JSON encoding). Throws if it is not one. */
export function decodeOtlpJson(body: unknown): ReceivedSpan[] {
  const request = body as { resourceSpans?: Array<{ resource?: { attributes?: KeyValue[] }; scopeSpans?: Array<{ scope?: { name?: string }; spans?: any[] }> }> };
  if (!request || !Array.isArray(request.resourceSpans)) throw new Error("not an OTLP trace request: no resourceSpans");
  const out: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans) {
    const resource = decodeAttributes(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        out.push({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId || undefined,
          name: span.name,
          kind: span.kind,
          attributes: decodeAttributes(span.attributes),
          events: (span.events ?? []).map((e: any) => ({ name: e.name, attributes: decodeAttributes(e.attributes) })),
          links: (span.links ?? []).map((l: any) => ({ traceId: l.traceId, spanId: l.spanId, attributes: decodeAttributes(l.attributes) })),
          status: span.status ?? {},
          resource,
          scope: scopeSpans.scope?.name ?? "",
          startTimeUnixNano: String(span.startTimeUnixNano),
          endTimeUnixNano: String(span.endTimeUnixNano),
        });
      }
    }
  }
  return out;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Files served on GET, so a browser page can export to its own origin (as to a same-origin relay). */
export type StaticFiles = Record<string, { contentType: string; body: string | Buffer }>;

export async function startOtlpReceiver(files: StaticFiles = {}): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const requests: ReceivedRequest[] = [];
  const gets: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  let responder: Responder | undefined;
  let index = 0;
  const waiters = new Set<() => void>();

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    const path = request.url ?? "/";
    if (request.method === "GET") {
      gets.push({ path, headers: request.headers });
      const file = files[path.split("?")[0]!];
      response.writeHead(file ? 200 : 404, { "content-type": file?.contentType ?? "text/plain" });
      response.end(file?.body ?? "not found");
      return;
    }
    const answer = responder?.({ path, index: index++ });
    if (answer && answer.status !== 200) {
      response.writeHead(answer.status, answer.headers ?? {});
      response.end();
      requests.push({ path, headers: request.headers, spanCount: 0, bytes: Buffer.byteLength(body) });
      return;
    }
    let decoded: ReceivedSpan[];
    try {
      decoded = decodeOtlpJson(JSON.parse(body));
    } catch (error) {
      response.writeHead(400, { "content-type": "text/plain" });
      response.end(String(error));
      return;
    }
    requests.push({ path, headers: request.headers, spanCount: decoded.length, bytes: Buffer.byteLength(body) });
    spans.push(...decoded);
    response.writeHead(200, { "content-type": "application/json" });
    response.end("{}");
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests,
    gets,
    respond(next) {
      responder = next;
    },
    waitForSpans(count, timeoutMs = 10_000) {
      if (spans.length >= count) return Promise.resolve(spans);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} spans, received ${spans.length} within ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (spans.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(spans);
        };
        waiters.add(check);
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Finds the one span with this name (fails loudly when there are none or several). */
export function spanNamed(spans: ReceivedSpan[], name: string): ReceivedSpan {
  const found = spans.filter((span) => span.name === name);
  if (found.length !== 1) throw new Error(`expected one span named ${name}, found ${found.length} among: ${spans.map((s) => s.name).join(", ")}`);
  return found[0]!;
}

/**
 * Whether span `a` ended no later than span `b`. OpenTelemetry JS anchors each span's clock when it
 * starts, so end times of different spans can disagree by a millisecond or so: allow 5 ms.
 */
export function endedBy(a: ReceivedSpan, b: ReceivedSpan, toleranceMs = 5): boolean {
  return BigInt(a.endTimeUnixNano) <= BigInt(b.endTimeUnixNano) + BigInt(toleranceMs * 1_000_000);
}
