import { describe, expect, it } from "vitest";
import { createTraceRelay } from "../src/integrations/relay.js";
import { startOtlpReceiver } from "./helpers/otlp-receiver.js";
import { onCleanup } from "./helpers/setup.js";

const ORIGIN = "https://chat.example.com";
const OTLP = JSON.stringify({
  resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: "respan-tracing" }, spans: [{ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", name: "chat_turn.workflow", kind: 1, startTimeUnixNano: "1", endTimeUnixNano: "2", attributes: [] }] }] }],
});

async function relayTo(overrides: Partial<Parameters<typeof createTraceRelay>[0]> = {}) {
  const receiver = await startOtlpReceiver();
  onCleanup(() => receiver.close());
  const relay = createTraceRelay({ apiKey: "sk-server-side-77", baseUrl: receiver.url, allowedOrigins: [ORIGIN], maxBodyBytes: 10_000, ...overrides });
  return { relay, receiver };
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("https://chat.example.com/api/respan-traces", { method: "POST", body, headers: { origin: ORIGIN, "content-type": "application/json", ...headers } });

describe("SPEC §10 createTraceRelay", () => {
  it("forwards a valid OTLP body with the key added server-side, and never echoes the key", async () => {
    const { relay, receiver } = await relayTo();
    const response = await relay(post(OTLP));
    expect(response.status).toBe(202);
    expect(await response.text()).not.toContain("sk-server-side-77");
    expect(receiver.requests[0]).toMatchObject({ path: "/api/v2/traces", headers: { authorization: "Bearer sk-server-side-77" } });
    expect(receiver.spans.map((s) => s.name)).toEqual(["chat_turn.workflow"]);
  });

  it("accepts text/plain (a beacon without preflight)", async () => {
    const { relay, receiver } = await relayTo();
    expect((await relay(post(OTLP, { "content-type": "text/plain;charset=UTF-8" }))).status).toBe(202);
    expect(receiver.spans).toHaveLength(1);
  });

  it("CORS for allowed origins only: a preflight gets 204 with what a JSON POST (and a beacon, which sends credentials) needs; answers carry the origin", async () => {
    const { relay, receiver } = await relayTo();
    const preflight = (origin: string) =>
      relay(new Request("https://app.example.com/api/respan-traces", { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" } }));
    const allowed = await preflight(ORIGIN);
    expect(allowed.status).toBe(204);
    expect(Object.fromEntries(allowed.headers)).toMatchObject({
      "access-control-allow-origin": ORIGIN,
      "access-control-allow-methods": "POST",
      "access-control-allow-headers": "content-type",
      "access-control-allow-credentials": "true",
      vary: "Origin",
    });
    const other = await preflight("https://evil.example");
    expect(other.status).toBe(403);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    // A cache in front of the relay must not serve this answer to an allowed origin's preflight.
    expect(other.headers.get("vary")).toBe("Origin");
    // The POST's answers, success or not, are readable by the allowed page only.
    const ok = await relay(post(OTLP));
    expect(ok.status).toBe(202);
    expect(ok.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const rejected = await relay(post("not otlp"));
    expect(rejected.status).toBe(400);
    expect(rejected.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const forbidden = await relay(post(OTLP, { origin: "https://evil.example" }));
    expect(forbidden.headers.get("access-control-allow-origin")).toBeNull();
    expect(receiver.spans).toHaveLength(1);
  });

  it("405 with Allow for other methods", async () => {
    const { relay } = await relayTo();
    const answer = await relay(new Request("https://app.example.com/api/respan-traces", { method: "GET", headers: { origin: ORIGIN } }));
    expect(answer.status).toBe(405);
    expect(answer.headers.get("allow")).toBe("POST, OPTIONS");
  });

  it("403 for a missing or disallowed origin", async () => {
    const { relay, receiver } = await relayTo();
    expect((await relay(post(OTLP, { origin: "https://evil.example" }))).status).toBe(403);
    const noOrigin = new Request("https://x/api", { method: "POST", body: OTLP, headers: { "content-type": "application/json" } });
    expect((await relay(noOrigin)).status).toBe(403);
    expect(receiver.requests).toHaveLength(0);
  });

  it("413 over maxBodyBytes, whether declared or streamed", async () => {
    const { relay, receiver } = await relayTo();
    expect((await relay(post("x".repeat(20_000)))).status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode("y".repeat(1000)));
        controller.close();
      },
    });
    const chunked = new Request("https://x/api", { method: "POST", body: stream, headers: { origin: ORIGIN, "content-type": "application/json" }, duplex: "half" } as RequestInit);
    expect((await relay(chunked)).status).toBe(413);
    expect(receiver.requests).toHaveLength(0);
  });

  it("415 for other content types, 400 for JSON that is not an OTLP trace request, 405 for GET", async () => {
    const { relay, receiver } = await relayTo();
    expect((await relay(post(OTLP, { "content-type": "application/x-www-form-urlencoded" }))).status).toBe(415);
    expect((await relay(post('{"hello":"world"}'))).status).toBe(400);
    expect((await relay(post("not json"))).status).toBe(400);
    expect((await relay(new Request("https://x/api", { headers: { origin: ORIGIN } }))).status).toBe(405);
    expect(receiver.requests).toHaveLength(0);
  });

  it("502 when the upstream is unreachable; upstream errors never leak the key", async () => {
    const { relay, receiver } = await relayTo({ baseUrl: "http://127.0.0.1:9" });
    const response = await relay(post(OTLP));
    expect(response.status).toBe(502);
    expect(await response.text()).not.toContain("sk-server-side-77");
    expect(receiver.requests).toHaveLength(0);
  });

  it("refuses a configuration without origins or destination, clearly", () => {
    expect(() => createTraceRelay({ apiKey: "k", allowedOrigins: [] })).toThrow(/allowedOrigins/);
    expect(() => createTraceRelay({ allowedOrigins: [ORIGIN] })).toThrow(/apiKey/);
  });
});
