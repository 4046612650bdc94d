import { ExportResultCode } from "@opentelemetry/core";
import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { countOrDefault, timeoutOrDefault } from "./deadline.js";
import type { Logger } from "./logger.js";
import { describeError } from "./describe-error.js";

export interface QueueingOptions {
  /** false: each span is handed to the exporter as soon as it ends. */
  batching: boolean;
  logger: Logger;
  /** OTel's BatchSpanProcessor defaults: 2048 queued, 512 per request. */
  maxQueueSize?: number;
  maxBatchSize?: number;
  /** Wait before sending a partial batch. OTel uses 5 s; 1 s keeps traces near-live in the UI. */
  delayMs?: number;
  /** Longest wait for the exporter's answer to one batch; past it the batch counts as failed. */
  exportTimeoutMs?: number;
}

/**
 * OTel's BatchSpanProcessor gives an export 30 s (exportTimeoutMillis). Without such a bound an
 * exporter that never calls back would stall the queue for good.
 */
const EXPORT_TIMEOUT_MS = 30_000;

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
 * A span processor with a bounded queue in front of an exporter. Unlike OTel's BatchSpanProcessor it
 * drops the OLDEST spans when full (fresh spans matter more when an outage ends) and counts them,
 * its `forceFlush` resolves only once everything queued has been handed over, and it never rejects.
 * The timer starts with the first span, never at construction (Workers forbid timers at global scope).
 */
export class QueueingSpanProcessor implements SpanProcessor {
  private queue: ReadableSpan[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private draining: Promise<void> | undefined;
  private closed = false;
  private readonly counts = { exported: 0, failed: 0, dropped: 0 };
  /** Spans handed to the exporter and not answered yet. */
  private sending = 0;
  /** Exports the exporter has not answered yet (updated as it answers, not a microtask later). */
  private unanswered = 0;
  /** Unbatched exports made at span end, outside the drain loop (flush waits for them). */
  private readonly direct = new Set<Promise<void>>();
  /** Settles each unanswered export as failed; used when the SDK gives up on them. */
  private readonly giveUps = new Set<() => void>();
  private readonly maxQueueSize: number;
  private readonly maxBatchSize: number;
  private readonly delayMs: number;
  private readonly exportTimeoutMs: number;

  constructor(
    private readonly exporter: SpanExporter,
    private readonly options: QueueingOptions,
  ) {
    // Sizes and waits come from user options (often a number parsed from an environment variable): NaN, negatives and
    // strings fall back to the defaults rather than, say, a NaN queue that never drains.
    this.maxQueueSize = countOrDefault(options.maxQueueSize, 2048);
    this.maxBatchSize = Math.min(countOrDefault(options.maxBatchSize, 512), this.maxQueueSize);
    this.delayMs = timeoutOrDefault(options.delayMs, 1000);
    this.exportTimeoutMs = timeoutOrDefault(options.exportTimeoutMs, EXPORT_TIMEOUT_MS);
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.closed) {
      this.drop(1, "a span ended after shutdown() and was not exported");
      return;
    }
    this.queue.push(span);
    const excess = this.queue.length - this.maxQueueSize;
    if (excess > 0) {
      this.queue.splice(0, excess);
      this.drop(excess, `export queue full (${this.maxQueueSize} spans): dropping the oldest spans; see getDeliveryStats()`);
    }
    if (this.options.batching) {
      if (this.queue.length >= this.maxBatchSize) void this.drain();
      else this.schedule();
      return;
    }
    // Without batching the span is handed over now, in the context where it ended (as with OTel's
    // SimpleSpanProcessor), so an exporter may read per-request state (AsyncLocalStorage) then. A
    // drain loop would export it later, in the context of whichever span started that loop. While
    // an export is unanswered, spans wait in the (bounded) queue and follow when it is answered.
    if (this.unanswered === 0) this.sendNow();
  }

  private sendNow(): void {
    const sent: Promise<void> = this.sendBatch(this.queue.splice(0, this.maxBatchSize)).then(() => {
      this.direct.delete(sent);
      if (this.queue.length > 0) void this.drain();
    });
    this.direct.add(sent);
  }

  stats(): DeliveryStats {
    return { ...this.counts, queued: this.queue.length + this.sending };
  }

  /** Resolves when every span queued so far has been handed to the exporter and answered. */
  async forceFlush(): Promise<void> {
    this.clearTimer();
    await Promise.all(this.direct);
    await this.drain();
  }

  /**
   * Hands everything queued to the exporter now, beside a batch already in flight rather than
   * after it: a page being left (or a process exiting) will not wait for that request's answer.
   */
  async flushNow(): Promise<void> {
    this.clearTimer();
    if (!this.draining && this.direct.size === 0) return this.drain();
    const urgent: Promise<void>[] = [...this.direct];
    while (this.queue.length > 0) urgent.push(this.sendBatch(this.queue.splice(0, this.maxBatchSize)));
    await Promise.all([...urgent, ...(this.draining ? [this.draining] : [])]);
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
    if (this.queue.length > 0) {
      this.counts.failed += this.queue.length;
      this.queue = [];
    }
  }

  private drop(count: number, message: string): void {
    this.counts.dropped += count;
    this.options.logger.once(`dropped:${message}`, "WARNING", message);
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, this.delayMs);
    // In Node, a pending batch must not keep the process alive; `beforeExit` flushes it instead.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private drain(): Promise<void> {
    this.draining ??= this.sendAll().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async sendAll(): Promise<void> {
    while (this.queue.length > 0) await this.sendBatch(this.queue.splice(0, this.maxBatchSize));
  }

  private async sendBatch(batch: ReadableSpan[]): Promise<void> {
    this.sending += batch.length;
    const { ok, rejected } = await this.exportBatch(batch);
    this.sending -= batch.length;
    const lost = ok ? Math.min(rejected, batch.length) : batch.length;
    this.counts.exported += batch.length - lost;
    this.counts.failed += lost;
  }

  /** The exporter's answer, or a failure once it has not answered within exportTimeoutMs. */
  private exportBatch(batch: ReadableSpan[]): Promise<{ ok: boolean; rejected: number }> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (ok: boolean, rejected = 0) => {
        if (settled) return;
        settled = true;
        this.unanswered--;
        clearTimeout(timer);
        this.giveUps.delete(giveUp);
        resolve({ ok, rejected });
      };
      const giveUp = () => settle(false);
      const timer = setTimeout(() => {
        this.options.logger.once("export-timeout", "ERROR", `a span exporter did not answer within ${this.exportTimeoutMs} ms; its batch counts as failed and the queue moves on`);
        settle(false);
      }, this.exportTimeoutMs);
      (timer as { unref?: () => void }).unref?.();
      this.giveUps.add(giveUp);
      this.unanswered++;
      try {
        this.exporter.export(batch, (result) => {
          const rejected = (result as { rejected?: unknown }).rejected;
          settle(result.code === ExportResultCode.SUCCESS, typeof rejected === "number" ? rejected : 0);
        });
      } catch (error) {
        this.options.logger.once("exporter-threw", "ERROR", `a span exporter threw: ${describeError(error)}`);
        settle(false);
      }
    });
  }
}
