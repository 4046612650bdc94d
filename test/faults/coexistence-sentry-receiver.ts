/**
 * A loopback stand-in for Sentry's ingest endpoint (`POST /api/<project>/envelope/`): it parses
 * each envelope (newline-separated JSON: a header, then item header + payload pairs) and keeps
 * the spans of span items (Sentry 11's default "stream" trace lifecycle) and transaction items
 * ("static"), flattened, so a test can see what Sentry would have received.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

export interface SentrySpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
}

export interface SentryReceiver {
  /** A DSN pointing at this receiver. */
  dsn: string;
  spans: SentrySpan[];
  close(): Promise<void>;
}

interface SpanItemsPayload {
  items?: Array<{ name?: string; trace_id: string; span_id: string; parent_span_id?: string }>;
}

interface TransactionPayload {
  transaction?: string;
  contexts?: { trace?: { trace_id: string; span_id: string; parent_span_id?: string } };
  spans?: Array<{ description?: string; trace_id: string; span_id: string; parent_span_id?: string }>;
}

export async function startSentryReceiver(): Promise<SentryReceiver> {
  const spans: SentrySpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks);
      const body = (request.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
      spans.push(...envelopeSpans(body));
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dsn: `http://public@127.0.0.1:${port}/1`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function envelopeSpans(envelope: string): SentrySpan[] {
  const lines = envelope.split("\n").filter((line) => line.trim() !== "");
  const out: SentrySpan[] = [];
  // lines[0] is the envelope header; then an item header and its payload, in turn.
  for (let i = 1; i + 1 < lines.length; i += 2) {
    const header = JSON.parse(lines[i]!) as { type?: string };
    if (header.type === "span") {
      const payload = JSON.parse(lines[i + 1]!) as SpanItemsPayload;
      for (const span of payload.items ?? []) {
        out.push({ name: span.name ?? "", traceId: span.trace_id, spanId: span.span_id, parentSpanId: span.parent_span_id });
      }
      continue;
    }
    if (header.type !== "transaction") continue;
    const payload = JSON.parse(lines[i + 1]!) as TransactionPayload;
    const root = payload.contexts?.trace;
    if (root) out.push({ name: payload.transaction ?? "", traceId: root.trace_id, spanId: root.span_id, parentSpanId: root.parent_span_id });
    for (const span of payload.spans ?? []) {
      out.push({ name: span.description ?? "", traceId: span.trace_id, spanId: span.span_id, parentSpanId: span.parent_span_id });
    }
  }
  return out;
}
