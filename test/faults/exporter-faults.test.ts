/** A fault suite for delivery: exporters that never answer, answer late, throw, or choke on a span. */
import { ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it, vi } from "vitest";
import { QueueingSpanProcessor } from "../../src/core/queueing-processor.js";
import { Logger } from "../../src/core/logger.js";
import { RespanTelemetry, deserializeSpans, getClient, serializeSpans, withTask } from "../../src/runtime/node.js";
import { onCleanup, tracedWithReceiver } from "../helpers/setup.js";
import { startOtlpReceiver } from "../helpers/otlp-receiver.js";

/** An exporter that takes spans and never calls back (a hung collector client). */
function silentExporter(): SpanExporter & { calls: number } {
  const exporter = {
    calls: 0,
    export() {
      exporter.calls++;
    },
    shutdown: () => new Promise<void>(() => undefined),
  };
  return exporter;
}

const flag = (promise: Promise<unknown>) => {
  const state = { settled: false };
  void promise.then(() => (state.settled = true));
  return state;
};

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("SPEC §11 bounded waits: flush() and shutdown()", () => {
  it("flush({ timeoutMs }) resolves by its deadline when the exporter never answers; the span is still counted", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const telemetry = new RespanTelemetry({ customExporter: silentExporter(), env: {} });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 10 }));
    withTask({ name: "stuck" }, () => 1);
    await telemetry.flush({ timeoutMs: 200 });
    expect(telemetry.getDeliveryStats()).toMatchObject({ exported: 0, queued: 1 });
  });

  it("flush() defaults to 30 s and shutdown() too; both resolve, never reject", async () => {
    vi.useFakeTimers();
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const telemetry = new RespanTelemetry({ customExporter: silentExporter(), env: {} });
    withTask({ name: "stuck" }, () => 1);
    const flushed = flag(telemetry.flush());
    await vi.advanceTimersByTimeAsync(29_900);
    expect(flushed.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(flushed.settled).toBe(true);
    const stopped = flag(telemetry.shutdown());
    await vi.advanceTimersByTimeAsync(30_100);
    expect(stopped.settled).toBe(true);
    expect(telemetry.shutdown()).toBe(telemetry.shutdown()); // idempotent, the same promise
  });

  it("shutdown({ timeoutMs }) resolves when the exporter's own shutdown never does, and says so once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const telemetry = new RespanTelemetry({ customExporter: silentExporter(), env: {} });
    withTask({ name: "stuck" }, () => 1);
    await telemetry.shutdown({ timeoutMs: 150 });
    expect(telemetry.isShutdown).toBe(true);
    expect(warn.mock.calls.filter(([line]) => String(line).includes("shutdown() stopped waiting after 150 ms"))).toHaveLength(1);
  });

  it("a bad timeoutMs (negative, NaN, a string) falls back to the default instead of throwing", async () => {
    const { telemetry } = await tracedWithReceiver();
    withTask({ name: "ok" }, () => 1);
    for (const timeoutMs of [-1, Number.NaN, "soon" as unknown as number]) await expect(telemetry.flush({ timeoutMs })).resolves.toBeUndefined();
    expect(telemetry.getDeliveryStats()).toMatchObject({ exported: 1, queued: 0 });
  });
});

describe("an exporter that never calls back does not stall the queue", () => {
  it("past exportTimeoutMs the batch counts as failed and later batches are sent", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    let call = 0;
    const exporter: SpanExporter = {
      export(spans, done) {
        if (call++ === 0) return; // the first batch hangs forever
        done({ code: ExportResultCode.SUCCESS });
      },
      shutdown: async () => undefined,
    };
    const processor = new QueueingSpanProcessor(exporter, { batching: false, logger: new Logger(), exportTimeoutMs: 100 });
    const span = (name: string) => ({ name }) as unknown as ReadableSpan;
    processor.onEnd(span("hangs"));
    processor.onEnd(span("after"));
    await processor.forceFlush();
    expect(processor.stats()).toEqual({ exported: 1, failed: 1, dropped: 0, queued: 0 });
    expect(error.mock.calls.filter(([line]) => String(line).includes("did not answer within 100 ms"))).toHaveLength(1);
  });

  it("an exporter that throws counts its batch as failed and never reaches user code", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const telemetry = new RespanTelemetry({ customExporter: { export: () => { throw new Error("boom"); }, shutdown: async () => undefined }, env: {} });
    onCleanup(() => telemetry.shutdown());
    expect(withTask({ name: "fine" }, () => "result")).toBe("result");
    await expect(telemetry.flush()).resolves.toBeUndefined();
    expect(telemetry.getDeliveryStats()).toMatchObject({ failed: 1 });
  });

  it("an exporter answering with a nonsense rejected/delivered count (NaN, negative, too big) cannot make the stats NaN or negative", async () => {
    const answers = [
      { code: ExportResultCode.SUCCESS, rejected: Number.NaN },
      { code: ExportResultCode.SUCCESS, rejected: -5 },
      { code: ExportResultCode.SUCCESS, rejected: 99 },
      { code: ExportResultCode.FAILED, delivered: Number.NaN },
      { code: ExportResultCode.FAILED, delivered: 99 },
    ];
    let next = 0;
    const telemetry = new RespanTelemetry({ customExporter: { export: (_spans, done) => done(answers[next++]! as never), shutdown: async () => undefined }, env: {} });
    onCleanup(() => telemetry.shutdown());
    for (let i = 0; i < answers.length; i++) {
      withTask({ name: `s${i}` }, () => i);
      await telemetry.flush();
    }
    // NaN and -5 rejected: nothing lost; 99 rejected: the one span; a failure delivering NaN: none; 99: the one span.
    expect(telemetry.getDeliveryStats()).toEqual({ exported: 3, failed: 2, dropped: 0, queued: 0 });
  });
});

describe("a span that fails to encode costs only itself", () => {
  it("deserializeSpans refuses malformed spans with a clear error naming the span", () => {
    const good = { name: "ok", kind: 0, context: { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1 }, startTime: [1, 0], endTime: [2, 0], status: { code: 0 }, attributes: {}, events: [], links: [], resource: {}, scope: { name: "s" } };
    expect(deserializeSpans(JSON.stringify({ format: "respan-spans/1", spans: [good] }))).toHaveLength(1);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...good, context: { traceFlags: 1 } }, /span 1 is malformed \(no valid trace and span id\)/],
      [{ ...good, scope: undefined }, /span 1 is malformed \(no instrumentation scope\)/],
      [{ ...good, startTime: ["x", 0] }, /span 1 is malformed \(no valid start and end time\)/],
    ];
    for (const [bad, message] of cases) {
      expect(() => deserializeSpans(JSON.stringify({ format: "respan-spans/1", spans: [good, bad] }))).toThrow(message);
    }
  });

  it("spans the OTLP encoder rejects are dropped alone, counted as failed, logged once; the rest of the batch is delivered", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { telemetry, receiver } = await tracedWithReceiver();
    const buffer = getClient().getSpanBuffer("job");
    buffer.run(() => {
      for (const name of ["good_one", "no_ids", "no_resource", "good_two"]) withTask({ name }, () => name);
    });
    const [goodOne, noIds, noResource, goodTwo] = deserializeSpans(serializeSpans(buffer.getAllSpans()));
    // What a span built by hand (or by another library's buggy exporter bridge) can look like.
    const broken: ReadableSpan[] = [
      { ...noIds!, spanContext: () => ({ traceId: "", spanId: "", traceFlags: 1 }) },
      { ...noResource!, resource: undefined as unknown as ReadableSpan["resource"] },
    ];
    await getClient().processSpans([goodOne!, ...broken, goodTwo!]);
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    expect(spans.map((s) => s.name).sort()).toEqual(["good_one.task", "good_two.task"]);
    expect(telemetry.getDeliveryStats()).toMatchObject({ exported: 2, failed: 2, queued: 0 });
    expect(error.mock.calls.filter(([line]) => String(line).includes("could not be encoded"))).toHaveLength(1);
  });
});

describe("processSpans with hostile input", () => {
  it("a span that breaks routing is skipped alone; the others are exported; wrong types resolve false", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { telemetry, receiver } = await tracedWithReceiver();
    const buffer = getClient().getSpanBuffer("job");
    buffer.run(() => {
      withTask({ name: "first" }, () => 1);
      withTask({ name: "second" }, () => 2);
    });
    const [first, second] = buffer.getAllSpans();
    // No instrumentationScope: the default processor's noise filter cannot even read it.
    const broken = { ...first!, instrumentationScope: undefined, attributes: undefined } as unknown as ReadableSpan;
    await expect(getClient().processSpans([broken, first!, second!])).resolves.toBe(false);
    await expect(getClient().processSpans(undefined as never)).resolves.toBe(false);
    await expect(getClient().processSpans({} as never)).resolves.toBe(false);
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    expect(spans.map((s) => s.name).sort()).toEqual(["first.task", "second.task"]);
  });
});

describe("the exit flush deadline", () => {
  it("Node gives up what is unanswered after 5 s (the process ends); a browser tab only hidden leaves it sending", async () => {
    vi.useFakeTimers();
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { RespanTelemetry: BrowserTelemetry } = await import("../../src/runtime/browser.js");
    const stats = [];
    for (const Telemetry of [RespanTelemetry, BrowserTelemetry]) {
      const telemetry = new Telemetry({ customExporter: silentExporter(), env: {} });
      withTask({ name: "pending" }, () => 1);
      const exitFlush = telemetry.flushBeforeExit();
      await vi.advanceTimersByTimeAsync(5_100);
      await exitFlush;
      stats.push(telemetry.getDeliveryStats());
      void telemetry.shutdown({ timeoutMs: 1 });
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(stats[0]).toMatchObject({ failed: 1, queued: 0 }); // node: given up, counted
    expect(stats[1]).toMatchObject({ failed: 0, queued: 1 }); // browser: still being sent
  });
});

describe("advice on a refused export", () => {
  it("without a key (a browser posting to a relay), a 403 points at the relay's allowedOrigins, not at an API key", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    receiver.respond(() => ({ status: 403 }));
    const telemetry = new RespanTelemetry({ exportUrl: `${receiver.url}/api/respan-traces`, env: {} });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    withTask({ name: "refused" }, () => 1);
    await telemetry.flush();
    const line = error.mock.calls.map(([l]) => String(l)).find((l) => l.includes("HTTP 403"))!;
    expect(line).toContain("allowedOrigins");
    expect(line).not.toContain("RESPAN_API_KEY");
  });
});
