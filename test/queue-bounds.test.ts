/**
 * The export queue's bounds (issue 11): bytes as well as spans, drop-oldest only past them (and
 * counted), a few exports at once once a backlog builds, and on Node a burst far beyond OTel's
 * 2,048-span queue delivered whole with default settings.
 */
import { ExportResultCode } from "@opentelemetry/core";
import { BasicTracerProvider, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Logger } from "../src/core/logger.js";
import { QUEUE_BOUNDS, QueueingSpanProcessor, type QueueBounds } from "../src/core/queueing-processor.js";
import { SpanRing } from "../src/core/span-ring.js";
import { estimateSpanBytes } from "../src/core/span-size.js";
import { RespanTelemetry, withTask } from "../src/runtime/node.js";
import { onCleanup } from "./helpers/setup.js";

const logger = new Logger("CRITICAL");
const tracer = new BasicTracerProvider().getTracer("queue-test");

/** A real ended span carrying `text` as an attribute. */
function span(name: string, text = ""): ReadableSpan {
  const s = tracer.startSpan(name, { attributes: { text } });
  s.end();
  return s as unknown as ReadableSpan;
}

/** An exporter that holds every batch until released, and records how many were held at once. */
function gatedExporter() {
  const state = { exported: [] as string[], held: 0, maxHeld: 0, release: () => undefined as void };
  let open = false;
  const waiting: Array<() => void> = [];
  state.release = () => {
    open = true;
    for (const go of waiting.splice(0)) go();
  };
  const exporter: SpanExporter = {
    export(batch, done) {
      state.held++;
      state.maxHeld = Math.max(state.maxHeld, state.held);
      const answer = () => {
        state.held--;
        state.exported.push(...batch.map((s) => s.name));
        done({ code: ExportResultCode.SUCCESS });
      };
      if (open) setTimeout(answer, 5);
      else waiting.push(answer);
    },
    shutdown: async () => undefined,
  };
  return { exporter, state };
}

function queueWith(exporter: SpanExporter, bounds: QueueBounds, maxBatchSize?: number) {
  return new QueueingSpanProcessor(exporter, { batching: true, logger, bounds, maxBatchSize, delayMs: 10 });
}

describe("export queue bounded by bytes", () => {
  it("past the byte bound the oldest spans are dropped and counted exactly; the newest are delivered in order", async () => {
    const { exporter, state } = gatedExporter();
    const one = estimateSpanBytes(span("probe", "x".repeat(1000)));
    // Room for 10 such spans waiting; the span count bound is far away.
    const queue = queueWith(exporter, { maxSpans: 100_000, maxBytes: one * 10, maxConcurrentExports: 1 }, 5);
    for (let i = 0; i < 40; i++) queue.onEnd(span(`s${i}`, "x".repeat(1000)));
    // One batch of 5 (s0–s4) is in flight; of the 35 after it, the newest 10 wait.
    expect(queue.stats()).toEqual({ exported: 0, failed: 0, dropped: 25, queued: 15 });
    state.release();
    await queue.forceFlush();
    expect(queue.stats()).toEqual({ exported: 15, failed: 0, dropped: 25, queued: 0 });
    expect(state.exported).toEqual(["s0", "s1", "s2", "s3", "s4", ...Array.from({ length: 10 }, (_, i) => `s${30 + i}`)]);
  });

  it("one span larger than the byte bound is still kept (the newest span always stays)", async () => {
    const { exporter, state } = gatedExporter();
    const queue = queueWith(exporter, { maxSpans: 100, maxBytes: 100, maxConcurrentExports: 1 }, 10);
    queue.onEnd(span("big", "y".repeat(5000)));
    state.release();
    await queue.forceFlush();
    expect(state.exported).toEqual(["big"]);
    expect(queue.stats()).toMatchObject({ exported: 1, dropped: 0 });
  });

  it("without runtime bounds (browsers, Workers, edge) the queue keeps OTel's 2,048 spans", () => {
    const { exporter } = gatedExporter();
    const queue = new QueueingSpanProcessor(exporter, { batching: true, logger });
    for (let i = 0; i < 3000; i++) queue.onEnd(span(`s${i}`));
    // 512 in flight, 2,048 waiting, the rest dropped.
    expect(QUEUE_BOUNDS.maxSpans).toBe(2048);
    expect(queue.stats()).toEqual({ exported: 0, failed: 0, dropped: 3000 - 512 - 2048, queued: 512 + 2048 });
    queue.abortInFlight();
  });
});

describe("concurrent exports", () => {
  it("starts more than one export once a backlog builds, never more than maxConcurrentExports; flush waits for all", async () => {
    const { exporter, state } = gatedExporter();
    const queue = queueWith(exporter, { maxSpans: 100_000, maxBytes: 2 ** 30, maxConcurrentExports: 3 }, 10);
    for (let i = 0; i < 500; i++) queue.onEnd(span(`s${i}`));
    expect(state.maxHeld).toBe(3);
    state.release();
    await queue.forceFlush();
    expect(state.maxHeld).toBe(3);
    expect(state.held).toBe(0);
    expect(queue.stats()).toEqual({ exported: 500, failed: 0, dropped: 0, queued: 0 });
    expect(new Set(state.exported).size).toBe(500);
  });

  it("one export at a time while there is no backlog (as OTel's BatchSpanProcessor)", async () => {
    const { exporter, state } = gatedExporter();
    const queue = queueWith(exporter, { maxSpans: 100_000, maxBytes: 2 ** 30, maxConcurrentExports: 4 }, 10);
    // 3 full batches: below the 4-batch backlog that allows a second export.
    for (let i = 0; i < 40; i++) queue.onEnd(span(`s${i}`));
    expect(state.maxHeld).toBe(1);
    state.release();
    await queue.forceFlush();
    expect(state.exported).toEqual(Array.from({ length: 40 }, (_, i) => `s${i}`));
  });
});

describe("Node defaults", () => {
  it("a burst of 20,000 spans (10× OTel's queue) is delivered whole with default settings", async () => {
    const received: string[] = [];
    const exporter: SpanExporter = {
      export(batch, done) {
        received.push(...batch.map((s) => s.name));
        setImmediate(() => done({ code: ExportResultCode.SUCCESS }));
      },
      shutdown: async () => undefined,
    };
    const telemetry = new RespanTelemetry({ customExporter: exporter, env: {}, logLevel: "critical" });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 1000 }));
    for (let i = 0; i < 20_000; i++) withTask({ name: "burst" }, () => i);
    await telemetry.flush({ timeoutMs: 20_000 });
    expect(telemetry.getDeliveryStats()).toEqual({ exported: 20_000, failed: 0, dropped: 0, queued: 0 });
    expect(received).toHaveLength(20_000);
  });
});

describe("SpanRing", () => {
  it("property: keeps FIFO order and byte totals across growth and wrap-around, like an array", () => {
    const op = fc.oneof(
      fc.record({ push: fc.integer({ min: 1, max: 200 }) }),
      fc.record({ take: fc.integer({ min: 1, max: 150 }) }),
      fc.record({ drop: fc.integer({ min: 1, max: 50 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const ring = new SpanRing();
        const model: number[] = [];
        let next = 0;
        const taken: number[] = [];
        const modelTaken: number[] = [];
        for (const o of ops) {
          if ("push" in o) {
            for (let i = 0; i < o.push; i++, next++) {
              ring.push({ id: next } as unknown as ReadableSpan, next % 7);
              model.push(next);
            }
          } else if ("take" in o) {
            taken.push(...ring.takeBatch(o.take).map((s) => (s as unknown as { id: number }).id));
            modelTaken.push(...model.splice(0, o.take));
          } else {
            for (let i = 0; i < o.drop; i++) expect(ring.dropOldest()).toBe(model.shift() !== undefined);
          }
          expect(ring.length).toBe(model.length);
          expect(ring.bytes).toBe(model.reduce((sum, id) => sum + (id % 7), 0));
        }
        expect(taken).toEqual(modelTaken);
        expect(ring.takeBatch(Infinity).map((s) => (s as unknown as { id: number }).id)).toEqual(model);
      }),
      { numRuns: 300 },
    );
  });
});
