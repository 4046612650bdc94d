import { context } from "@opentelemetry/api";
import { RandomIdGenerator, type IdGenerator } from "@opentelemetry/sdk-trace-base";
import { SPAN_BUFFER_KEY } from "./context-keys.js";
import type { SpanBuffer } from "./span-buffer.js";

/**
 * Random ids, except that a root span started for a SpanBuffer gets the buffer's trace id, so a
 * buffer's spans share one trace instead of one random trace each.
 */
export class BufferAwareIdGenerator implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  /** Set for the duration of one synchronous startSpan call (see RespanTelemetry.startSpan). */
  nextTraceId: string | undefined;

  generateTraceId(): string {
    if (this.nextTraceId) return this.nextTraceId;
    const buffer = context.active().getValue(SPAN_BUFFER_KEY) as SpanBuffer | undefined;
    return buffer?.otelTraceId ?? this.random.generateTraceId();
  }

  generateSpanId(): string {
    return this.random.generateSpanId();
  }
}
