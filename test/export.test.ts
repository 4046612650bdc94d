import { ExportResultCode } from "@opentelemetry/core";
import { BasicTracerProvider, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RespanSpanExporter, RespanTelemetry, withTask } from "../src/runtime/node.js";
import { normaliseBaseUrl } from "../src/core/options.js";
import { startOtlpReceiver } from "./helpers/otlp-receiver.js";
import { onCleanup, tracedWithReceiver } from "./helpers/setup.js";

const FAST_RETRY = { initialDelayMs: 50, maxDelayMs: 200, deadlineMs: 20_000, maxAttempts: 6 };

afterEach(() => vi.restoreAllMocks());

describe("SPEC §9 wire format", () => {
  it("POSTs OTLP/HTTP JSON to {baseUrl}/v2/traces with Bearer auth and extra headers", async () => {
    const { telemetry, receiver } = await tracedWithReceiver({ headers: { "X-Team": "jokes" }, apiKey: "secret-key-999" });
    withTask({ name: "wire" }, () => 1);
    await telemetry.flush();
    await receiver.waitForSpans(1);
    const [request] = receiver.requests;
    expect(request!.path).toBe("/api/v2/traces");
    expect(request!.headers).toMatchObject({ authorization: "Bearer secret-key-999", "x-team": "jokes", "content-type": "application/json" });
  });

  it("normalises baseUrl with or without a trailing /api or /", () => {
    for (const url of ["https://x.io", "https://x.io/", "https://x.io/api", "https://x.io/api/", " https://x.io/api// "]) {
      expect(normaliseBaseUrl(url)).toBe("https://x.io/api");
    }
  });

  it("exportUrl is used as given, with no Authorization when there is no key", async () => {
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    const telemetry = new RespanTelemetry({ exportUrl: `${receiver.url}/relay/traces`, env: {} });
    onCleanup(() => telemetry.shutdown());
    withTask({ name: "relayed" }, () => 1);
    await telemetry.flush();
    await receiver.waitForSpans(1);
    expect(receiver.requests[0]!.path).toBe("/relay/traces");
    expect(receiver.requests[0]!.headers.authorization).toBeUndefined();
  });
});

describe("SPEC §9 retries and limits", () => {
  // Nothing in these fault scenarios may surface as an unhandled rejection.
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on("unhandledRejection", onUnhandled);
  });
  afterEach(() => {
    process.off("unhandledRejection", onUnhandled);
    expect(unhandled).toEqual([]);
  });

  it("500 twice then 200: delivered", async () => {
    const { telemetry, receiver } = await tracedWithReceiver({ retry: FAST_RETRY, logLevel: "critical" });
    receiver.respond(({ index }) => (index < 2 ? { status: 500 } : undefined));
    withTask({ name: "persistent" }, () => 1);
    await telemetry.flush();
    expect(receiver.spans.map((s) => s.name)).toEqual(["persistent.task"]);
    expect(receiver.requests).toHaveLength(3);
    expect(telemetry.getDeliveryStats()).toMatchObject({ exported: 1, failed: 0 });
  });

  it("429 with Retry-After: 1 waits about a second, then delivers", async () => {
    const { telemetry, receiver } = await tracedWithReceiver({ retry: FAST_RETRY, logLevel: "critical" });
    receiver.respond(({ index }) => (index === 0 ? { status: 429, headers: { "Retry-After": "1" } } : undefined));
    withTask({ name: "throttled" }, () => 1);
    const started = Date.now();
    await telemetry.flush();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(receiver.spans.map((s) => s.name)).toEqual(["throttled.task"]);
  });

  it("a 4xx other than 429 is not retried and is logged once, with status and advice, never the key", async () => {
    const lines: string[] = [];
    for (const method of ["info", "warn", "error", "log", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    const { telemetry, receiver } = await tracedWithReceiver({ apiKey: "sk-very-secret-4242", retry: FAST_RETRY, logLevel: "debug" });
    receiver.respond(() => ({ status: 401 }));
    withTask({ name: "denied" }, () => 1);
    await telemetry.flush();
    withTask({ name: "denied_again" }, () => 1);
    await telemetry.flush();
    expect(receiver.requests).toHaveLength(2);
    const failures = lines.filter((line) => line.includes("HTTP 401"));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain("RESPAN_API_KEY");
    expect(lines.join("\n")).not.toContain("sk-very-secret-4242");
    expect(telemetry.getDeliveryStats()).toMatchObject({ failed: 2, exported: 0 });
  });

  it("receiver down for 10 s, then up on the same port: delivered with the default retry policy, no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    onCleanup(() => void process.off("unhandledRejection", onUnhandled));
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const telemetry = new RespanTelemetry({ apiKey: "k-123456", baseUrl: `http://127.0.0.1:${port}`, env: {}, logLevel: "critical" });
    onCleanup(() => telemetry.shutdown());
    expect(withTask({ name: "patient" }, () => "user code unaffected")).toBe("user code unaffected");
    const flushed = telemetry.flush();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const received: string[] = [];
    const late = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (c: Buffer) => chunks.push(c)).on("end", () => {
        received.push(Buffer.concat(chunks).toString());
        response.end("{}");
      });
    });
    await new Promise<void>((resolve) => late.listen(port, "127.0.0.1", resolve));
    onCleanup(() => new Promise<void>((resolve) => late.close(() => resolve())));
    await flushed;
    expect(received).toHaveLength(1);
    expect(received[0]).toContain("patient.task");
    expect(telemetry.getDeliveryStats()).toMatchObject({ exported: 1, failed: 0, dropped: 0 });
    expect(unhandled).toEqual([]);
  }, 60_000);

  it("gives up at the deadline: flush resolves (never rejects) and the failure is counted", async () => {
    const { telemetry, receiver } = await tracedWithReceiver({ retry: { initialDelayMs: 100, maxDelayMs: 100, maxAttempts: 50, deadlineMs: 600 }, logLevel: "critical" });
    receiver.respond(() => ({ status: 503 }));
    withTask({ name: "doomed" }, () => 1);
    await expect(telemetry.flush()).resolves.toBeUndefined();
    expect(telemetry.getDeliveryStats()).toMatchObject({ failed: 1 });
    expect(receiver.requests.length).toBeGreaterThanOrEqual(3);
    // Waits are 50–100 ms each, so a 600 ms deadline allows at most 13 tries: bounded, not endless.
    expect(receiver.requests.length).toBeLessThanOrEqual(13);
  });

  it("a full queue drops the oldest spans, counts them exactly, and logs once", async () => {
    const received: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: SpanExporter = {
      export(spans: ReadableSpan[], done) {
        received.push(...spans.map((s) => s.name));
        void gate.then(() => done({ code: ExportResultCode.SUCCESS }));
      },
      shutdown: async () => undefined,
    };
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const telemetry = new RespanTelemetry({ customExporter: slow, isBatchingEnabled: false, maxQueueSize: 5, env: {} });
    onCleanup(() => telemetry.shutdown());
    withTask({ name: "s0" }, () => 0); // taken by the exporter at once, which then hangs
    for (let i = 1; i <= 20; i++) withTask({ name: `s${i}` }, () => i);
    // queued counts what is not delivered yet: 5 waiting + s0 in flight.
    expect(telemetry.getDeliveryStats()).toMatchObject({ dropped: 15, queued: 6 });
    release();
    await telemetry.flush();
    expect(received).toEqual(["s0.task", "s16.task", "s17.task", "s18.task", "s19.task", "s20.task"]);
    expect(warn.mock.calls.filter(([line]) => String(line).includes("queue full"))).toHaveLength(1);
  });

  it("RespanSpanExporter under someone else's processor: a result callback that throws is logged once, never an unhandled rejection", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    const provider = new BasicTracerProvider();
    const span = provider.getTracer("theirs").startSpan("their_span");
    span.end();
    const exporter = new RespanSpanExporter({ exportUrl: `${receiver.url}/v1/traces` });
    const answered = new Promise<void>((resolve) => {
      exporter.export([span as unknown as ReadableSpan], () => {
        resolve();
        throw new Error("their callback broke");
      });
    });
    await answered;
    await new Promise((resolve) => setTimeout(resolve, 50)); // an unhandled rejection would be reported by now
    expect(receiver.spans.map((s) => s.name)).toEqual(["their_span"]);
    expect(error.mock.calls.map(([line]) => String(line)).filter((line) => line.includes("their callback broke"))).toHaveLength(1);
  });
});

describe("without batching", () => {
  it("each span is exported in the async context where it ended, also when requests run concurrently", async () => {
    const { AsyncLocalStorage } = await import("node:async_hooks");
    const request = new AsyncLocalStorage<string>();
    const seen: string[] = [];
    const exporter: SpanExporter = {
      export(spans: ReadableSpan[], done) {
        for (const span of spans) seen.push(`${span.name}@${request.getStore()}`);
        done({ code: ExportResultCode.SUCCESS });
      },
      shutdown: async () => undefined,
    };
    const telemetry = new RespanTelemetry({ customExporter: exporter, isBatchingEnabled: false, env: {} });
    onCleanup(() => telemetry.shutdown());
    await Promise.all(["a", "b", "c"].map((id) => request.run(id, () => withTask({ name: id }, async () => id))));
    await telemetry.flush();
    expect(seen.sort()).toEqual(["a.task@a", "b.task@b", "c.task@c"]);
  });
});

describe("SPEC §8 waitUntil-aware flush", () => {
  it("flush({ waitUntil }) hands the export to waitUntil and resolves once delivered", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    withTask({ name: "handed_off" }, () => 1);
    const handed: Promise<unknown>[] = [];
    const result = telemetry.flush({ waitUntil: (promise) => handed.push(promise) });
    expect(handed).toHaveLength(1);
    expect(handed[0]).toBe(result);
    await handed[0];
    expect(receiver.spans.map((s) => s.name)).toEqual(["handed_off.task"]);
  });

  it("a waitUntil that throws does not reach user code; the flush still completes", async () => {
    const { telemetry, receiver } = await tracedWithReceiver({ logLevel: "critical" });
    withTask({ name: "still_sent" }, () => 1);
    await expect(telemetry.flush({ waitUntil: () => { throw new Error("scope over"); } })).resolves.toBeUndefined();
    expect(receiver.spans.map((s) => s.name)).toEqual(["still_sent.task"]);
  });
});
