/**
 * The Node build's export transport (node:http): what the retrying exporter relies on — the status
 * and Retry-After of an answer, a rejection (never a hang) for a peer that never answers or a
 * refused connection, and a prompt rejection when the SDK gives up on the request.
 */
import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { createNodeHttpTransport } from "../src/transport/node-http.js";
import { onCleanup } from "./helpers/setup.js";
import { silentServer } from "./helpers/silent-server.js";

async function answering(status: number, headers: Record<string, string> = {}) {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      bodies.push(Buffer.concat(chunks).toString());
      res.writeHead(status, headers);
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onCleanup(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1/traces`, bodies };
}

const body = new TextEncoder().encode('{"resourceSpans":[]}');

describe("node:http transport", () => {
  it("posts the body and returns the status; twice over one kept-alive connection", async () => {
    const { url, bodies } = await answering(200);
    const transport = createNodeHttpTransport();
    await expect(transport.send({ url, body, headers: { "Content-Type": "application/json" } })).resolves.toMatchObject({ status: 200 });
    await expect(transport.send({ url, body, headers: {} })).resolves.toMatchObject({ status: 200 });
    expect(bodies).toEqual(['{"resourceSpans":[]}', '{"resourceSpans":[]}']);
  });

  it("returns a 429's Retry-After for the retry policy", async () => {
    const { url } = await answering(429, { "Retry-After": "3" });
    await expect(createNodeHttpTransport().send({ url, body, headers: {} })).resolves.toEqual({ status: 429, retryAfter: "3" });
  });

  it("rejects when the peer never answers, after its timeout", async () => {
    const { url } = await silentServer();
    await expect(createNodeHttpTransport({ timeoutMs: 200 }).send({ url, body, headers: {} })).rejects.toThrow(/no answer within 200 ms/);
  });

  it("rejects at once when the SDK gives up (abort), and when already aborted", async () => {
    const { url } = await silentServer();
    const controller = new AbortController();
    const sent = createNodeHttpTransport().send({ url, body, headers: {}, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(sent).rejects.toThrow(/gave up/);
    await expect(createNodeHttpTransport().send({ url, body, headers: {}, signal: controller.signal })).rejects.toThrow(/gave up/);
  });

  it("rejects on a refused connection (a network error the exporter retries)", async () => {
    const { url } = await answering(200);
    const closedPort = url.replace(/:\d+\//, ":9/");
    await expect(createNodeHttpTransport().send({ url: closedPort, body, headers: {} })).rejects.toThrow();
  });

  it("follows 307/308 with the body, as fetch did; the key stays on the same origin and never goes to another", async () => {
    const seen: Array<{ port: number; path: string; auth?: string; body: string }> = [];
    const start = async (handler: (path: string, port: number) => [number, Record<string, string>]) => {
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const port = (server.address() as { port: number }).port;
          seen.push({ port, path: req.url!, auth: req.headers.authorization, body: Buffer.concat(chunks).toString() });
          const [status, headers] = handler(req.url!, port);
          res.writeHead(status, headers);
          res.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      onCleanup(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
      return (server.address() as { port: number }).port;
    };
    const other = await start(() => [200, {}]);
    const first = await start((path) => (path === "/old" ? [308, { Location: "/v1/traces" }] : [307, { Location: `http://127.0.0.1:${other}/moved` }]));
    const transport = createNodeHttpTransport();
    const answer = await transport.send({ url: `http://127.0.0.1:${first}/old`, body, headers: { Authorization: "Bearer rsp-secret" } });
    expect(answer.status).toBe(200);
    expect(seen.map(({ port, path, auth, body: sent }) => [port === first ? "first" : "other", path, auth, sent])).toEqual([
      ["first", "/old", "Bearer rsp-secret", '{"resourceSpans":[]}'],
      ["first", "/v1/traces", "Bearer rsp-secret", '{"resourceSpans":[]}'],
      ["other", "/moved", undefined, '{"resourceSpans":[]}'],
    ]);
  });

  it("a redirect loop ends after a few hops, and a Location that is no URL is the answer as is", async () => {
    let hits = 0;
    const server = createServer((req, res) => {
      hits++;
      req.resume();
      req.on("end", () => {
        res.writeHead(308, { Location: req.url === "/bad" ? "http://[not a url" : "/loop" });
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    onCleanup(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    await expect(createNodeHttpTransport().send({ url: `${base}/loop`, body, headers: {} })).resolves.toMatchObject({ status: 308 });
    expect(hits).toBe(6); // the request and 5 redirects (MAX_REDIRECTS)
    await expect(createNodeHttpTransport().send({ url: `${base}/bad`, body, headers: {} })).resolves.toMatchObject({ status: 308 });
  });
});
