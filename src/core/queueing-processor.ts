import { ExportResultCode } from "@opentelemetry/core";
import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { countOrDefault, timeoutOrDefault } from "./deadline.js";
import type { Logger } from "./logger.js";
import { describeError } from "./describe-error.js";
import { SpanRing } from "./span-ring.js";
import { estimateSpanBytes } from "./span-size.js";

export interface QueueingOptions {
  /** false: each span is handed to the exporter as soon as it ends. */
  batching: boolean;
  logger: Logger;
  /** Most spans kept waiting; past it the oldest are dropped. Default: `bounds.maxSpans`. */
  maxQueueSize?: number;
  maxBatchSize?: number;
  /** Wait before sending a partial batch. OTel uses 5 s; 1 s keeps traces near-live in the UI. */
  delayMs?: number;
  /** Longest wait for the exporter's answer to one batch; past it the batch counts as failed. */
  exportTimeoutMs?: number;
  /** The runtime's bounds (Platform.queueBounds); default QUEUE_BOUNDS. */
  bounds?: QueueBounds;
}

/** How much the queue may hold and send at once; each runtime picks its own (Platform.queueBounds). */
export interface QueueBounds {
  /** Most spans waiting (when the user sets no maxQueueSize). */
  maxSpans: number;
  /** Most estimated bytes waiting (estimateSpanBytes), whatever the span count. */
  maxBytes: number;
  /** Batches exported at once. */
  maxConcurrentExports: number;
}

/**
 * Browsers, Workers and edge functions: OTel's BatchSpanProcessor queue (2,048 spans), at most
 * 8 MiB of estimated export size (a Worker isolate has 128 MB in all; 2,048 spans carrying large
 * inputs could otherwise take far more), and one export at a time (a page's keepalive quota and
 * a Worker's subrequest budget are small and shared).
 */
export const QUEUE_BOUNDS: QueueBounds = { maxSpans: 2048, maxBytes: 8 * 1024 * 1024, maxConcurrentExports: 1 };

/**
 * OTel's BatchSpanProcessor gives an export 30 s (exportTimeoutMillis). Without such a bound an
 * exporter that never calls back would stall the queue for good.
 */
const EXPORT_TIMEOUT_MS = 30_000;

/** OTel's BatchSpanProcessor default batch (maxExportBatchSize). */
const MAX_BATCH_SIZE = 512;

/**
 * Full batches waiting before a second export starts beside the one in flight: 4 × 512 = 2,048
 * spans, where OTel's BatchSpanProcessor would already be dropping.
 */
const BACKLOG_BATCHES = 4;

/** An exporter that can give up on what it is sending (ours: aborts requests and retry waits). */
interface Abortable {
  abort?(): void;
}

export interface DeliveryStats {
  /** Spans the exporter accepted. */
  exported: number;
  /** Spans the exporter gave up on (after its own retries). */
  failed: number;
  /** Oldest spans dropped because the queue was full, or ended after shutdown. */
  dropped: number;
  /** Spans not delivered yet: waiting in the queue or being sent now. */
  queued: number;
}

/**
 * A span processor with a bounded queue in front of an exporter. The queue is bounded by span
 * count and by estimated bytes (so a server keeps a large burst while memory stays bounded); full
 * batches go out as soon as they fill, a few at once (`maxConcurrentExports`), a partial batch
 * after `delayMs`. Unlike OTel's BatchSpanProcessor it drops the OLDEST spans when full (fresh
 * spans matter more when an outage ends), in O(1), and counts them; its `forceFlush` resolves only
 * once everything queued has been handed over and answered, and it never rejects.
 * The timer starts with the first span, never at construction (Workers forbid timers at global scope).
 */
export class QueueingSpanProcessor implements SpanProcessor {
  private readonly queue = new SpanRing();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly counts = { exported: 0, failed: 0, dropped: 0 };
  /** Spans handed to the exporter and not answered yet. */
  private sending = 0;
  /** Batches handed to the exporter and not answered yet. */
  private batchesInFlight = 0;
  /** Resolvers of flushes waiting for the queue to be empty and nothing in flight. */
  private idleWaiters: Array<() => void> = [];
  /** Settles each unanswered export as failed; used when the SDK gives up on them. */
  private readonly giveUps = new Set<() => void>();
  private readonly maxQueueSize: number;
  private readonly maxQueueBytes: number;
  private readonly maxConcurrent: number;
  private readonly maxBatchSize: number;
  private readonly delayMs: number;
  private readonly exportTimeoutMs: number;
  private fullMessage: string | undefined;

  constructor(
    private readonly exporter: SpanExporter,
    private readonly options: QueueingOptions,
  ) {
    const bounds = options.bounds ?? QUEUE_BOUNDS;
    // Sizes and waits come from user options (often a number parsed from an environment variable): NaN, negatives and
    // strings fall back to the defaults rather than, say, a NaN queue that never drains.
    this.maxQueueSize = countOrDefault(options.maxQueueSize, bounds.maxSpans);
    this.maxQueueBytes = bounds.maxBytes;
    this.maxConcurrent = bounds.maxConcurrentExports;
    this.maxBatchSize = Math.min(countOrDefault(options.maxBatchSize, MAX_BATCH_SIZE), this.maxQueueSize);
    this.delayMs = timeoutOrDefault(options.delayMs, 1000);
    this.exportTimeoutMs = timeoutOrDefault(options.exportTimeoutMs, EXPORT_TIMEOUT_MS);
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.closed) {
      this.drop(1, "a span ended after shutdown() and was not exported");
      return;
    }
    const queue = this.queue;
    queue.push(span, estimateSpanBytes(span));
    if (queue.length > this.maxQueueSize || queue.bytes > this.maxQueueBytes) this.dropOverflow();
    if (!this.options.batching) this.pump(true);
    else if (queue.length >= this.maxBatchSize) this.pump(false);
    else this.schedule();
  }

  /** The last resort: the oldest spans go (counted) until the queue is within both bounds; the newest always stays. */
  private dropOverflow(): void {
    let dropped = 0;
    while (this.queue.length > 1 && (this.queue.length > this.maxQueueSize || this.queue.bytes > this.maxQueueBytes) && this.queue.dropOldest()) dropped++;
    if (dropped > 0) {
      this.counts.dropped += dropped;
      // Built once: in an overflowing burst this runs for every span.
      this.fullMessage ??= `export queue full (${this.maxQueueSize} spans or ${Math.round(this.maxQueueBytes / 2 ** 20)} MiB): dropping the oldest spans; see getDeliveryStats()`;
      this.options.logger.once("dropped:queue-full", "WARNING", this.fullMessage);
    }
  }

  stats(): DeliveryStats {
    return { ...this.counts, queued: this.queue.length + this.sending };
  }

  /** Resolves when every span queued so far has been handed to the exporter and answered. */
  forceFlush(): Promise<void> {
    this.clearTimer();
    if (this.queue.length === 0 && this.batchesInFlight === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.idleWaiters.push(resolve);
      this.pump(true);
    });
  }

  /**
   * Hands everything queued to the exporter now, beside batches already in flight and past the
   * concurrency bound: a page being left (or a process exiting) will not wait for their answers.
   */
  flushNow(): Promise<void> {
    this.clearTimer();
    while (this.queue.length > 0) this.sendBatch(this.queue.takeBatch(this.maxBatchSize));
    return this.forceFlush();
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.forceFlush();
    await this.exporter.shutdown().catch(() => undefined);
  }

  /**
   * Gives up on every export in flight and everything still queued (an exit flush or a shutdown
   * past its deadline): they count as failed, our exporter aborts its requests and retry waits,
   * and nothing keeps a process alive.
   */
  abortInFlight(): void {
    try {
      (this.exporter as Abortable).abort?.();
    } catch {
      // An exporter's abort must not break the caller; its batches are settled below anyway.
    }
    for (const giveUp of [...this.giveUps]) giveUp();
    // What is still queued would otherwise go out batch after batch once the caller stopped
    // waiting (and keep a process alive): it is given up too, and counted.
    this.counts.failed += this.queue.clear();
    this.clearTimer();
    this.settleIdle();
  }

  private drop(count: number, message: string): void {
    this.counts.dropped += count;
    this.options.logger.once(`dropped:${message}`, "WARNING", message);
  }

  /**
   * Starts exports while fewer than maxConcurrent are in flight: full batches always; partial ones
   * too when `force`d (the delay passed), without batching, or while a flush is waiting.
   */
  private pump(force: boolean): void {
    const queue = this.queue;
    const partial = force || !this.options.batching || this.idleWaiters.length > 0;
    while (queue.length > 0 && this.mayStartExport()) {
      if (queue.length < this.maxBatchSize && !partial) break;
      this.sendBatch(queue.takeBatch(this.maxBatchSize));
    }
    if (queue.length > 0 && this.batchesInFlight === 0) this.schedule();
    this.settleIdle();
  }

  /**
   * One export at a time, as OTel's BatchSpanProcessor does, until a backlog builds up
   * (BACKLOG_BATCHES full batches waiting): then up to maxConcurrentExports at once, so a burst
   * drains at the network's pace rather than one request's round trip at a time.
   */
  private mayStartExport(): boolean {
    if (this.batchesInFlight === 0) return true;
    return this.batchesInFlight < this.maxConcurrent && this.queue.length >= this.maxBatchSize * BACKLOG_BATCHES;
  }

  private settleIdle(): void {
    if (this.idleWaiters.length === 0 || this.queue.length > 0 || this.batchesInFlight > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump(true);
    }, this.delayMs);
    // In Node, a pending batch must not keep the process alive; `beforeExit` flushes it instead.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private sendBatch(batch: ReadableSpan[]): void {
    // The answer's callback keeps only the count: holding the batch would keep its spans alive
    // until the answer, long after the exporter has encoded them.
    const size = batch.length;
    this.sending += size;
    this.batchesInFlight++;
    this.exportBatch(batch, (ok, rejected, delivered) => {
      // Counted the moment the exporter answers, not a microtask later: without batching, a span
      // ending right after must see nothing in flight and go out at once, in its own context.
      this.sending -= size;
      this.batchesInFlight--;
      // A failed batch may still have delivered part of itself (several requests, a later one failed).
      const lost = ok ? countWithin(rejected, size) : size - countWithin(delivered, size);
      this.counts.exported += size - lost;
      this.counts.failed += lost;
      // Not from inside the exporter's callback: a synchronous exporter would recurse.
      void Promise.resolve().then(() => this.pump(false));
    });
  }

  /** The exporter's answer, or a failure once it has not answered within exportTimeoutMs. */
  private exportBatch(batch: ReadableSpan[], answered: (ok: boolean, rejected: unknown, delivered: unknown) => void): void {
    let settled = false;
    const settle = (ok: boolean, rejected?: unknown, delivered?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.giveUps.delete(giveUp);
      answered(ok, rejected, delivered);
    };
    const giveUp = () => settle(false);
    const timer = setTimeout(() => {
      this.options.logger.once("export-timeout", "ERROR", `a span exporter did not answer within ${this.exportTimeoutMs} ms; its batch counts as failed and the queue moves on`);
      settle(false);
    }, this.exportTimeoutMs);
    (timer as { unref?: () => void }).unref?.();
    this.giveUps.add(giveUp);
    try {
      this.exporter.export(batch, (result) => {
        const { rejected, delivered } = result as { rejected?: unknown; delivered?: unknown };
        settle(result.code === ExportResultCode.SUCCESS, rejected, delivered);
      });
    } catch (error) {
      this.options.logger.once("exporter-threw", "ERROR", `a span exporter threw: ${describeError(error)}`);
      settle(false);
    }
  }
}

/**
 * An exporter's count of spans (ours: `rejected`, `delivered`) as a whole number within 0..size;
 * anything else (absent, NaN, negative, a string) is 0, so no exporter can make the stats NaN.
 */
function countWithin(value: unknown, size: number): number {
  return typeof value === "number" && value > 0 ? Math.min(Math.floor(value), size) : 0;
}
