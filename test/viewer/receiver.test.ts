/** The viewer's OTLP receiver: what it accepts, refuses, keeps, and serves back. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startViewer, type Viewer } from "../../src/viewer/server.js";
import { newSpanId, newTraceId, otlpBody } from "./otlp-body.js";

const dirs: string[] = [];
const viewers: Viewer[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "respan-viewer-"));
  dirs.push(dir);
  return dir;
}

async function viewer(dataDir = tempDir(), maxBodyBytes?: number): Promise<Viewer> {
  const started = await startViewer({ port: 0, dataDir, maxBodyBytes });
  viewers.push(started);
  return started;
}

afterEach(async () => {
  for (const v of viewers.splice(0)) await v.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const post = (v: Viewer, body: string, path = "/v1/traces") => fetch(`${v.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });
const traces = async (v: Viewer) => ((await (await fetch(`${v.url}/api/traces`)).json()) as { traces: Array<Record<string, unknown>> }).traces;
const spansOf = async (v: Viewer, id: string) => ((await (await fetch(`${v.url}/api/traces/${id}`)).json()) as { spans: Array<Record<string, any>> }).spans;

describe("viewer receiver", () => {
  it("accepts OTLP JSON on /v1/traces and /api/v2/traces and serves the decoded spans", async () => {
    const v = await viewer();
    const traceId = newTraceId();
    const rootId = newSpanId();
    const first = await post(v, otlpBody([{ traceId, spanId: rootId, name: "joke.workflow", attributes: { "traceloop.span.kind": "workflow", "traceloop.entity.input": '{"topic":"pirates"}' } }]));
    expect(first.status).toBe(200);
    const second = await post(v, otlpBody([{ traceId, parentSpanId: rootId, name: "openai.chat", attributes: { "gen_ai.usage.input_tokens": 12, "gen_ai.usage.output_tokens": 30, "gen_ai.prompt.0.role": "user" } }]), "/api/v2/traces");
    expect(second.status).toBe(200);

    const spans = await spansOf(v, traceId);
    expect(spans.map((s) => s.name)).toEqual(["joke.workflow", "openai.chat"]);
    const [root, chat] = spans;
    expect(root).toMatchObject({ traceId, spanId: rootId, name: "joke.workflow", resource: { "service.name": "viewer-test" }, scope: { name: "respan-tracing" } });
    expect(root!.attributes["traceloop.entity.input"]).toBe('{"topic":"pirates"}');
    expect(root!.events).toEqual([{ name: "checkpoint", timeUnixNano: root!.startTimeUnixNano, attributes: { step: 1 } }]);
    expect(chat).toMatchObject({ parentSpanId: rootId, attributes: { "gen_ai.usage.input_tokens": 12, "gen_ai.prompt.0.role": "user" } });
  });

  it("answers CORS preflights, so a local page can export to it", async () => {
    const v = await viewer();
    const response = await fetch(`${v.url}/v1/traces`, { method: "OPTIONS", headers: { origin: "http://localhost:3000", "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toContain("content-type");
    expect((await post(v, otlpBody([{ traceId: newTraceId(), name: "x" }]))).headers.get("access-control-allow-origin")).toBe("*");
  });

  it("lets no other site read the traces: no CORS on the API, and a foreign Host (DNS rebinding) is refused", async () => {
    const v = await viewer();
    await post(v, otlpBody([{ traceId: newTraceId(), name: "secret.task", attributes: { "traceloop.entity.input": "my prompt" } }]));
    const own = await fetch(`${v.url}/api/traces`, { headers: { origin: "https://evil.example" } });
    expect(own.status).toBe(200);
    expect(own.headers.get("access-control-allow-origin")).toBeNull();
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const rebound = request(`${v.url}/api/traces`, { headers: { host: `evil.example:${v.port}` } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      rebound.on("error", reject);
      rebound.end();
    });
    expect(status).toBe(403);
  });

  it("refuses bodies that are not OTLP JSON with 400, stores nothing, and keeps serving", async () => {
    const v = await viewer();
    for (const body of ["not json", "{}", '{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"no ids"}]}]}]}', "[1,2]", ""]) {
      const response = await post(v, body);
      expect(response.status, body).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/OTLP|JSON|traceId/);
    }
    expect(await traces(v)).toEqual([]);
    expect((await post(v, otlpBody([{ traceId: newTraceId(), name: "after" }]))).status).toBe(200);
    expect((await traces(v)).map((t) => t.rootName)).toEqual(["after"]);
  });

  it("refuses a body over the limit with 413, and still answers afterwards", async () => {
    const v = await viewer(undefined, 64 * 1024);
    const big = otlpBody([{ traceId: newTraceId(), name: "big", attributes: { blob: "x".repeat(200 * 1024) } }]);
    expect((await post(v, big)).status).toBe(413);
    // Streamed without a content-length: stopped once the limit is passed, not read whole.
    const chunks = [new TextEncoder().encode(big.slice(0, 100_000)), new TextEncoder().encode(big.slice(100_000))];
    const stream = new ReadableStream<Uint8Array>({ pull: (c) => (chunks.length ? c.enqueue(chunks.shift()!) : c.close()) });
    const streamed = await fetch(`${v.url}/v1/traces`, { method: "POST", body: stream, duplex: "half" } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await traces(v)).toEqual([]);
    expect((await post(v, otlpBody([{ traceId: newTraceId(), name: "small" }]))).status).toBe(200);
    expect((await traces(v)).map((t) => t.rootName)).toEqual(["small"]);
  });

  it("stores every span of 20 concurrent exports", async () => {
    const v = await viewer();
    const traceId = newTraceId();
    const bodies = Array.from({ length: 20 }, (_, i) => otlpBody(Array.from({ length: 5 }, (_, j) => ({ traceId, name: `span-${i}-${j}` }))));
    const statuses = await Promise.all(bodies.map((b) => post(v, b).then((r) => r.status)));
    expect(statuses).toEqual(Array(20).fill(200));
    expect(await spansOf(v, traceId)).toHaveLength(100);
  });

  it("a new viewer on the same data dir shows the traces received before the restart", async () => {
    const dir = tempDir();
    const first = await viewer(dir);
    const traceId = newTraceId();
    await post(first, otlpBody([{ traceId, name: "before restart", attributes: { "gen_ai.usage.input_tokens": 5, "gen_ai.usage.output_tokens": 7 } }]));
    await first.close();
    const second = await viewer(dir);
    expect(await traces(second)).toMatchObject([{ traceId, rootName: "before restart", totalTokens: 12 }]);
    expect((await spansOf(second, traceId))[0]!.name).toBe("before restart");
  });

  it("lists traces newest first with root name, service, timing, counts and tokens", async () => {
    const v = await viewer();
    const older = newTraceId();
    const newer = newTraceId();
    const root = newSpanId();
    const t0 = Date.now() - 60_000;
    await post(
      v,
      otlpBody([
        { traceId: older, spanId: root, name: "older.workflow", startMs: t0, durationMs: 500 },
        { traceId: older, parentSpanId: root, name: "openai.chat", startMs: t0 + 100, durationMs: 200, attributes: { "gen_ai.usage.prompt_tokens": 10, "gen_ai.usage.completion_tokens": 5, "gen_ai.usage.input_tokens": 10, "gen_ai.usage.output_tokens": 5 } },
        { traceId: older, parentSpanId: root, name: "failing.task", startMs: t0 + 300, durationMs: 100, error: "boom" },
      ], "joke-app"),
    );
    await post(v, otlpBody([{ traceId: newer, name: "newer.workflow", startMs: t0 + 30_000, durationMs: 20 }], "other-app"));
    const list = await traces(v);
    expect(list).toEqual([
      { traceId: newer, rootName: "newer.workflow", service: "other-app", startMs: t0 + 30_000, durationMs: 20, spanCount: 1, errorCount: 0, totalTokens: 0 },
      { traceId: older, rootName: "older.workflow", service: "joke-app", startMs: t0, durationMs: 500, spanCount: 3, errorCount: 1, totalTokens: 15 },
    ]);
    expect((await fetch(`${v.url}/api/traces/${"f".repeat(32)}`)).status).toBe(404);
  });

  it("serves the UI at /", async () => {
    const v = await viewer();
    const page = await fetch(`${v.url}/`);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("Respan trace viewer");
    expect((await fetch(`${v.url}/app.js`)).status).toBe(200);
    expect((await fetch(`${v.url}/../package.json`)).status).toBe(404);
  });
});
