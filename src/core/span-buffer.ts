import { context, trace, TraceFlags, type Attributes, type Context, type Link, type SpanKind, type TimeInput } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { RESPAN_BUFFERED } from "./attributes.js";
import { SPAN_BUFFER_KEY } from "./context-keys.js";
import type { TracingHost } from "./host.js";
import { safeStringify } from "./safe-json.js";

export interface SpanBufferOptions {
  /** Join an existing trace: buffered root spans become children of this span. */
  parentTraceId?: string;
  parentSpanId?: string;
}

export interface CreateSpanOptions {
  kind?: SpanKind;
  links?: Link[];
  startTime?: TimeInput;
  endTime?: TimeInput;
}

/**
 * Collects spans instead of exporting them, to be processed later (or elsewhere, after
 * `serializeSpans`). Spans started in `run()` share one trace.
 * @example
 * const buffer = getClient().getSpanBuffer("job-7");
 * await buffer.run(() => withTask({ name: "step" }, work));
 * await getClient().processSpans(buffer.getAllSpans());
 */
export class SpanBuffer {
  /** The OTel trace id every buffered root span gets (the parent's, when continuing a trace). */
  readonly otelTraceId: string;
  private spans: ReadableSpan[] = [];

  constructor(
    private readonly host: TracingHost,
    /** The caller's label for this buffer. */
    readonly traceId: string,
    private readonly options: SpanBufferOptions,
    newTraceId: () => string,
  ) {
    const { parentTraceId, parentSpanId } = options;
    if ((parentTraceId === undefined) !== (parentSpanId === undefined)) {
      throw new TypeError("getSpanBuffer(): give both parentTraceId and parentSpanId, or neither");
    }
    if (parentTraceId !== undefined && !/^[0-9a-f]{32}$/.test(parentTraceId)) {
      throw new TypeError(`getSpanBuffer(): parentTraceId must be 32 lower-case hex characters; got ${JSON.stringify(parentTraceId)}`);
    }
    if (parentSpanId !== undefined && !/^[0-9a-f]{16}$/.test(parentSpanId)) {
      throw new TypeError(`getSpanBuffer(): parentSpanId must be 16 lower-case hex characters; got ${JSON.stringify(parentSpanId)}`);
    }
    this.otelTraceId = parentTraceId ?? newTraceId();
  }

  /** The context in which spans are buffered; pass it as a wrapper's `context` where there is no async context. */
  context(base: Context = context.active()): Context {
    const withBuffer = base.setValue(SPAN_BUFFER_KEY, this);
    const { parentTraceId, parentSpanId } = this.options;
    if (parentTraceId && parentSpanId) {
      return trace.setSpanContext(withBuffer, { traceId: parentTraceId, spanId: parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    }
    // A fresh trace of its own, not a child of whatever span is current.
    return trace.deleteSpan(withBuffer);
  }

  /** Runs `fn`; every span started inside it is buffered instead of exported. */
  run<R>(fn: () => R): R {
    return context.with(this.context(), fn);
  }

  /** Records a finished span directly (e.g. a step that happened elsewhere). */
  createSpan(name: string, attributes: Record<string, unknown> = {}, options: CreateSpanOptions = {}): void {
    const active = context.active();
    const parent = active.getValue(SPAN_BUFFER_KEY) === this ? active : this.context(active);
    const spanAttributes: Attributes = { [RESPAN_BUFFERED]: true };
    for (const [key, value] of Object.entries(attributes)) {
      if (value === undefined || value === null) continue;
      spanAttributes[key] = typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : safeStringify(value);
    }
    const span = this.host.startSpan(name, { kind: options.kind, links: options.links, startTime: options.startTime, attributes: spanAttributes }, parent);
    span.end(options.endTime);
  }

  /** Called by the span router when a span started in this buffer ends. */
  add(span: ReadableSpan): void {
    this.spans.push(span);
  }

  getAllSpans(): ReadableSpan[] {
    return [...this.spans];
  }

  getSpanCount(): number {
    return this.spans.length;
  }

  clearSpans(): void {
    this.spans = [];
  }
}
