import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";

/** Slots a ring starts with; it doubles as needed, up to the queue's bound. */
const INITIAL_SLOTS = 64;

/**
 * The export queue's storage: a FIFO ring buffer of spans with each one's estimated size beside
 * it. Push, take-oldest and drop-oldest are O(1) (a head index, never `splice`), so dropping under
 * an overflowing burst costs the same per span however full the queue is; the only allocations
 * are the slot arrays when the ring doubles (amortised, bounded by the queue's bound) and the
 * batch arrays handed to the exporter.
 */
export class SpanRing {
  private spans: Array<ReadableSpan | undefined> = new Array(INITIAL_SLOTS);
  private sizes = new Float64Array(INITIAL_SLOTS);
  private head = 0;
  private count = 0;
  /** Sum of the estimated sizes of the spans held. */
  bytes = 0;

  get length(): number {
    return this.count;
  }

  push(span: ReadableSpan, size: number): void {
    if (this.count === this.spans.length) this.grow();
    const slot = (this.head + this.count) % this.spans.length;
    this.spans[slot] = span;
    this.sizes[slot] = size;
    this.count++;
    this.bytes += size;
  }

  /** Removes the oldest span (for drop-oldest); false when empty. */
  dropOldest(): boolean {
    if (this.count === 0) return false;
    this.take();
    return true;
  }

  /** Removes and returns up to `max` of the oldest spans, oldest first. */
  takeBatch(max: number): ReadableSpan[] {
    const batch = new Array<ReadableSpan>(Math.min(max, this.count));
    for (let i = 0; i < batch.length; i++) batch[i] = this.take();
    return batch;
  }

  /** Empties the ring; returns how many spans it held. */
  clear(): number {
    const held = this.count;
    this.spans = new Array(INITIAL_SLOTS);
    this.sizes = new Float64Array(INITIAL_SLOTS);
    this.head = 0;
    this.count = 0;
    this.bytes = 0;
    return held;
  }

  private take(): ReadableSpan {
    const span = this.spans[this.head]!;
    this.spans[this.head] = undefined; // the ring must not keep an exported span alive
    this.bytes -= this.sizes[this.head]!;
    this.head = (this.head + 1) % this.spans.length;
    this.count--;
    if (this.count === 0) this.bytes = 0; // no floating-point drift across millions of spans
    return span;
  }

  private grow(): void {
    const slots = this.spans.length * 2;
    const spans = new Array<ReadableSpan | undefined>(slots);
    const sizes = new Float64Array(slots);
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) % this.spans.length;
      spans[i] = this.spans[from];
      sizes[i] = this.sizes[from]!;
    }
    this.spans = spans;
    this.sizes = sizes;
    this.head = 0;
  }
}
