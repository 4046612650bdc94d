/**
 * The loopback OTLP receiver of the benches: 127.0.0.1, answers 200 to every POST after reading
 * (and, unless `count` is set, discarding) the body. With `count`, it decodes each body and counts
 * the spans received, for the delivery checks (never during a timed loop's numbers). Bodies are
 * OTLP/JSON (respan-tracing, OTel's exporter-trace-otlp-http) or OTLP/protobuf (Traceloop and
 * KeywordsAI export with exporter-trace-otlp-proto), told apart by content-type.
 */
import { createServer } from "node:http";

export async function startSink({ count = false } = {}) {
  const received = { requests: 0, spans: 0, bytes: 0, protobufRequests: 0 };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => {
      received.bytes += chunk.length;
      if (count) chunks.push(chunk);
    });
    req.on("end", () => {
      received.requests++;
      const protobuf = (req.headers["content-type"] ?? "").includes("protobuf");
      if (protobuf) received.protobufRequests++;
      if (count) received.spans += protobuf ? countProtobufSpans(Buffer.concat(chunks)) : countJsonSpans(Buffer.concat(chunks).toString("utf8"));
      // Answer in the body's own encoding: an empty protobuf ExportTraceServiceResponse is 0 bytes.
      res.writeHead(200, { "content-type": protobuf ? "application/x-protobuf" : "application/json" });
      res.end(protobuf ? "" : "{}");
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}/v1/traces`;
  return {
    url,
    received,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

function countJsonSpans(body) {
  try {
    let spans = 0;
    for (const rs of JSON.parse(body).resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans += ss.spans?.length ?? 0;
    return spans;
  } catch {
    return 0;
  }
}

/**
 * Spans in an ExportTraceServiceRequest, read from the protobuf wire format without a schema:
 * request field 1 = ResourceSpans, whose field 2 = ScopeSpans, whose field 2 = Span. A malformed
 * body counts 0 (as a malformed JSON body does), so a broken exporter shows as spans missing.
 */
export function countProtobufSpans(buf) {
  try {
    let spans = 0;
    for (const rs of lengthDelimited(buf, 0, buf.length, 1))
      for (const ss of lengthDelimited(buf, rs.start, rs.end, 2)) for (const _ of lengthDelimited(buf, ss.start, ss.end, 2)) spans++;
    return spans;
  } catch {
    return 0;
  }
}

/** The [start, end) ranges of every length-delimited field numbered `wanted` in buf[start, end). */
function lengthDelimited(buf, start, end, wanted) {
  const found = [];
  let pos = start;
  const varint = () => {
    let value = 0;
    for (let shift = 1; ; shift *= 128) {
      if (pos >= end) throw new Error("truncated varint");
      const byte = buf[pos++];
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) return value;
    }
  };
  while (pos < end) {
    const tag = varint();
    const wire = tag % 8;
    if (wire === 0) varint();
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const length = varint();
      if (pos + length > end) throw new Error("truncated field");
      if (Math.floor(tag / 8) === wanted) found.push({ start: pos, end: pos + length });
      pos += length;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  if (pos !== end) throw new Error("field overruns its message");
  return found;
}
