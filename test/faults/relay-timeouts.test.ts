import { createServer as createHttpServer } from "node:http";
import { createServer as createTcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BODY_TIMEOUT_MS, UPSTREAM_TIMEOUT_MS, createTraceRelay } from "../../src/integrations/relay.js";
import { onCleanup } from "../helpers/setup.js";

const ORIGIN = "https://chat.example.com";
const OTLP = JSON.stringify({ resourceSpans: [] });
/** Short bounds keep the tests fast; the defaults are checked with fake timers below. */
const BOUND_MS = 300;
/** Generous room for a loaded 2-core machine: "answered within the bound" is all that is asserted. */
const SLACK_MS = 3_000;

const post = (body: BodyInit = OTLP) =>
  new Request("https://chat.example.com/api/respan-traces", { method: "POST", body, headers: { origin: ORIGIN, "content-type": "application/json" }, duplex: "half" } as RequestInit);

/** Accepts TCP connections and never writes a byte. */
async function silentUpstream(): Promise<{ url: string; sockets: Socket[]; closed: Promise<void> }> {
  const sockets: Socket[] = [];
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const server = createTcpServer((socket) => {
    sockets.push(socket);
    // Read (and drop) what arrives, or the peer closing it would never be noticed.
    socket.resume();
    socket.on("close", markClosed);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onCleanup(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, sockets, closed };
}

/** Answers 200 at once, then sends its body one byte at a time, forever. */
async function tricklingUpstream(): Promise<{ url: string; closed: Promise<void> }> {
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const timers = new Set<NodeJS.Timeout>();
  const server = createHttpServer((request, response) => {
    request.resume();
    response.writeHead(200, { "content-type": "application/json" });
    const timer = setInterval(() => response.write(" "), 50);
    timers.add(timer);
    response.on("close", () => {
      clearInterval(timer);
      markClosed();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onCleanup(() => {
    for (const timer of timers) clearInterval(timer);
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, closed };
}

/** A request body that sends one byte every 50 ms and never ends; records whether the relay stopped reading. */
function tricklingBody(): { stream: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (!cancelled) controller.enqueue(new TextEncoder().encode(" "));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work;
  return { value, ms: performance.now() - start };
}

describe("createTraceRelay bounds its waits (faults)", () => {
  it("an upstream that accepts and never answers: 504 within upstreamTimeoutMs, upstream request aborted", async () => {
    const upstream = await silentUpstream();
    const relay = createTraceRelay({ exportUrl: upstream.url, allowedOrigins: [ORIGIN], upstreamTimeoutMs: BOUND_MS });
    const { value: response, ms } = await timed(relay(post()));
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ error: `upstream did not answer within ${BOUND_MS} ms` });
    expect(ms).toBeLessThan(BOUND_MS + SLACK_MS);
    expect(upstream.sockets.length).toBe(1);
    // Aborting the fetch closes its connection: the relay holds nothing open upstream.
    await expect(Promise.race([upstream.closed.then(() => "closed"), new Promise((r) => setTimeout(() => r("open"), SLACK_MS))])).resolves.toBe("closed");
  });

  it("an upstream that answers but trickles its body forever: answered within upstreamTimeoutMs, connection closed", async () => {
    const upstream = await tricklingUpstream();
    const relay = createTraceRelay({ exportUrl: upstream.url, allowedOrigins: [ORIGIN], upstreamTimeoutMs: BOUND_MS });
    const { value: response, ms } = await timed(relay(post()));
    expect(response.status).toBe(202);
    expect(ms).toBeLessThan(BOUND_MS + SLACK_MS);
    await expect(Promise.race([upstream.closed.then(() => "closed"), new Promise((r) => setTimeout(() => r("open"), SLACK_MS))])).resolves.toBe("closed");
  });

  it("a client that trickles its body forever: 408 within bodyTimeoutMs, body no longer read, nothing sent upstream", async () => {
    const upstream = await silentUpstream();
    const relay = createTraceRelay({ exportUrl: upstream.url, allowedOrigins: [ORIGIN], bodyTimeoutMs: BOUND_MS });
    const body = tricklingBody();
    const { value: response, ms } = await timed(relay(post(body.stream)));
    expect(response.status).toBe(408);
    expect(await response.json()).toEqual({ error: `body not received within ${BOUND_MS} ms` });
    expect(ms).toBeLessThan(BOUND_MS + SLACK_MS);
    expect(body.cancelled()).toBe(true);
    expect(upstream.sockets).toEqual([]);
  });
});

describe("createTraceRelay default bounds (fake timers)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it(`gives the upstream UPSTREAM_TIMEOUT_MS (${UPSTREAM_TIMEOUT_MS} ms), then 504`, async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let signal: AbortSignal | undefined;
    const neverAnswers: typeof fetch = (_url, init) => {
      signal = init?.signal ?? undefined;
      return new Promise((_resolve, reject) => signal?.addEventListener("abort", () => reject(signal!.reason)));
    };
    const relay = createTraceRelay({ exportUrl: "http://127.0.0.1:9/v1/traces", allowedOrigins: [ORIGIN], fetch: neverAnswers });
    let status: number | undefined;
    const answered = relay(post()).then((response) => (status = response.status));
    await vi.advanceTimersByTimeAsync(UPSTREAM_TIMEOUT_MS - 1);
    expect(status).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await answered;
    expect(status).toBe(504);
    expect(signal?.aborted).toBe(true);
  });

  it(`gives the client BODY_TIMEOUT_MS (${BODY_TIMEOUT_MS} ms) to send its body, then 408`, async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const silent = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => undefined) });
    const relay = createTraceRelay({ exportUrl: "http://127.0.0.1:9/v1/traces", allowedOrigins: [ORIGIN] });
    let status: number | undefined;
    const answered = relay(post(silent)).then((response) => (status = response.status));
    await vi.advanceTimersByTimeAsync(BODY_TIMEOUT_MS - 1);
    expect(status).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await answered;
    expect(status).toBe(408);
  });
});
