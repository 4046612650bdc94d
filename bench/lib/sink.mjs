/**
 * The loopback OTLP receiver of the benches: 127.0.0.1, answers 200 to every POST after reading
 * (and, unless `count` is set, discarding) the body. With `count`, it parses each OTLP/JSON body
 * and counts the spans received, for the delivery benches (never during a timed loop's numbers).
 */
import { createServer } from "node:http";

export async function startSink({ count = false } = {}) {
  const received = { requests: 0, spans: 0, bytes: 0 };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => {
      received.bytes += chunk.length;
      if (count) chunks.push(chunk);
    });
    req.on("end", () => {
      received.requests++;
      if (count) received.spans += countSpans(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
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

function countSpans(body) {
  try {
    let spans = 0;
    for (const rs of JSON.parse(body).resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans += ss.spans?.length ?? 0;
    return spans;
  } catch {
    return 0;
  }
}
