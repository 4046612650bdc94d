/** respan-tracing/workers in workerd (Miniflare): delivery through ctx.waitUntil loses nothing. */
import { Miniflare } from "miniflare";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endedBy, startOtlpReceiver, spanNamed, type OtlpReceiver } from "../test/helpers/otlp-receiver.js";
import { bundleRunner } from "./harness/consumer.js";

describe("respan-tracing/workers in workerd", () => {
  let receiver: OtlpReceiver;
  let mf: Miniflare;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const file = await bundleRunner("instrumented-worker.mjs", "instrumented-worker.bundle.mjs", { conditions: ["workerd", "worker", "browser"], platform: "browser" });
    mf = new Miniflare({
      modules: [{ type: "ESModule", path: "worker.mjs", contents: readFileSync(file, "utf8") }],
      compatibilityDate: "2025-09-01",
      compatibilityFlags: ["nodejs_als"],
      bindings: { EXPORT_URL: `${receiver.url}/v1/traces` },
    });
  });

  afterAll(async () => {
    await mf?.dispose();
    await receiver?.close();
  });

  const settle = async (predicate: () => boolean, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  };

  it("1,000 requests each making 3 spans: exactly 3,000 spans arrive (plus 1,000 root spans), with no I/O in the handler", async () => {
    receiver.spans.length = 0;
    const total = 1000;
    let next = 0;
    const worker = async () => {
      while (next < total) {
        next++;
        const response = await mf.dispatchFetch("http://worker/three-spans");
        expect(await response.text()).toBe("ok");
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await settle(() => receiver.spans.length >= 4 * total);
    const count = (name: string) => receiver.spans.filter((s) => s.name === name).length;
    expect({ no_io: count("no_io.workflow"), a: count("step_a.task"), b: count("step_b.task"), roots: count("GET /three-spans") }).toEqual({
      no_io: total,
      a: total,
      b: total,
      roots: total,
    });
    expect(receiver.spans).toHaveLength(4 * total);
    const root = receiver.spans.find((s) => s.name === "GET /three-spans")!;
    expect(root.attributes).toMatchObject({ "http.request.method": "GET", "http.response.status_code": 200, "url.path": "/three-spans" });
  });

  it("spans made in the user's own ctx.waitUntil work after the response still arrive", async () => {
    receiver.spans.length = 0;
    const response = await mf.dispatchFetch("http://worker/background");
    expect(response.status).toBe(202);
    await settle(() => receiver.spans.some((s) => s.name === "background_work.task"));
    const root = spanNamed(receiver.spans, "GET /background");
    expect(spanNamed(receiver.spans, "background_work.task").parentSpanId).toBe(root.spanId);
  });

  it("a streamed response keeps the root span open; the LLM span that ends after the headers arrives", async () => {
    receiver.spans.length = 0;
    const response = await mf.dispatchFetch("http://worker/stream");
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(await response.text()).toBe("data: Ahoy\n\ndata:  there\n\ndata:  matey\n\n");
    await settle(() => receiver.spans.length >= 2);
    const root = spanNamed(receiver.spans, "GET /stream");
    const llm = spanNamed(receiver.spans, "llm_stream.task");
    expect(llm.parentSpanId).toBe(root.spanId);
    expect(endedBy(llm, root)).toBe(true);
  });

  it("honours an incoming W3C traceparent", async () => {
    receiver.spans.length = 0;
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const response = await mf.dispatchFetch("http://worker/trace-id", { headers: { traceparent } });
    expect(await response.json()).toEqual({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736" });
    await settle(() => receiver.spans.length >= 1);
    expect(spanNamed(receiver.spans, "GET /trace-id")).toMatchObject({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", parentSpanId: "00f067aa0ba902b7" });
  });

  it("a throwing handler: the root span records the error, and spans are still exported", async () => {
    receiver.spans.length = 0;
    const response = await mf.dispatchFetch("http://worker/fail");
    expect(response.status).toBe(500);
    await settle(() => receiver.spans.length >= 1);
    expect(spanNamed(receiver.spans, "GET /fail").status).toMatchObject({ code: 2, message: "handler failed" });
  });

  it("scheduled and queue invocations get root spans and export", async () => {
    receiver.spans.length = 0;
    const worker = await mf.getWorker();
    await worker.scheduled({ cron: "*/5 * * * *" });
    await worker.queue("jobs", [
      { id: "m1", timestamp: new Date(), body: "one", attempts: 1 },
      { id: "m2", timestamp: new Date(), body: "two", attempts: 1 },
    ]);
    await settle(() => receiver.spans.length >= 5);
    expect(spanNamed(receiver.spans, "cron_job.task").parentSpanId).toBe(spanNamed(receiver.spans, "scheduled */5 * * * *").spanId);
    const queueRoot = spanNamed(receiver.spans, "queue jobs");
    expect(queueRoot.attributes["messaging.batch.message_count"]).toBe(2);
    expect(receiver.spans.filter((s) => s.name === "consume_message.task").map((s) => s.parentSpanId)).toEqual([queueRoot.spanId, queueRoot.spanId]);
  });

  it("ctx.waitUntil(getClient().flush()) after other waitUntil work settles (no deadlock), also when called inside that work", async () => {
    receiver.spans.length = 0;
    await (await mf.dispatchFetch("http://worker/flush-in-wait-until")).text();
    await (await mf.dispatchFetch("http://worker/flush-inside-work")).text();
    // These spans exist only once the user's flush() promise has resolved.
    await settle(() => ["flush_settled.task", "after_inner_flush.task"].every((name) => receiver.spans.some((s) => s.name === name)));
    expect(spanNamed(receiver.spans, "flush_settled.task").parentSpanId).toBe(spanNamed(receiver.spans, "GET /flush-in-wait-until").spanId);
    expect(spanNamed(receiver.spans, "after_inner_flush.task").parentSpanId).toBe(spanNamed(receiver.spans, "GET /flush-inside-work").spanId);
    expect(spanNamed(receiver.spans, "before_flush.task")).toBeDefined();
  });

  it("two concurrent requests: links attached outside a wrapper and span buffers stay in their own request", async () => {
    receiver.spans.length = 0;
    const [, , first, second] = await Promise.all([
      mf.dispatchFetch("http://worker/links?n=1&delay=60").then((r) => r.text()),
      mf.dispatchFetch("http://worker/links?n=2&delay=5").then((r) => r.text()),
      mf.dispatchFetch("http://worker/buffer?n=3&delay=60").then((r) => r.json() as Promise<{ traceId: string; spans: string[][] }>),
      mf.dispatchFetch("http://worker/buffer?n=4&delay=5").then((r) => r.json() as Promise<{ traceId: string; spans: string[][] }>),
    ]);
    await settle(() => receiver.spans.filter((s) => s.name.startsWith("linked_")).length >= 2);
    const linksOf = (name: string) => spanNamed(receiver.spans, name).links.map((l) => l.traceId);
    expect(linksOf("linked_1.task")).toEqual(["1".repeat(32)]);
    expect(linksOf("linked_2.task")).toEqual(["2".repeat(32)]);
    expect(first.spans).toEqual([["buffered_3.task", first.traceId]]);
    expect(second.spans).toEqual([["buffered_4.task", second.traceId]]);
    expect(first.traceId).not.toBe(second.traceId);
  });
});
