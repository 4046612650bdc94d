import { context, trace, SpanStatusCode, type AttributeValue, type Attributes, type Context, type Span, type SpanStatus, type Tracer } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { TracingHost } from "./host.js";
import { respanParamsToAttributes, type RespanParams } from "./respan-params.js";
import { safeStringify } from "./safe-json.js";
import type { SpanBuffer, SpanBufferOptions } from "./span-buffer.js";
import { describeError, recordFailure } from "./describe-error.js";
import { claimFreeGlobals } from "./globals.js";

export interface UpdateSpanOptions {
  name?: string;
  /** Non-primitive values are stored as JSON strings. */
  attributes?: Record<string, unknown>;
  status?: SpanStatusCode | "OK" | "ERROR" | "UNSET" | SpanStatus;
  statusDescription?: string;
  respanParams?: RespanParams;
}

/**
 * Reads and updates the current span. Outside a span every method is a safe no-op.
 * @example
 * getClient().updateCurrentSpan({ respanParams: { customer_identifier: "user-42", metadata: { plan: "pro" } } });
 */
export class RespanClient {
  constructor(private readonly host: () => TracingHost | undefined) {}

  private current(method: string): Span | undefined {
    const span = trace.getSpan(context.active());
    if (!span || !span.isRecording()) {
      this.host()?.logger.debug(`${method}() called outside a recording span; ignored`);
      return undefined;
    }
    return span;
  }

  getCurrentTraceId(): string | undefined {
    return trace.getSpan(context.active())?.spanContext().traceId;
  }

  getCurrentSpanId(): string | undefined {
    return trace.getSpan(context.active())?.spanContext().spanId;
  }

  /** The tracer of the telemetry instance (a no-op tracer when there is none). */
  getTracer(): Tracer {
    return this.host()?.tracer ?? trace.getTracer("respan-tracing");
  }

  isRecording(): boolean {
    return trace.getSpan(context.active())?.isRecording() ?? false;
  }

  updateCurrentSpan(update: UpdateSpanOptions): void {
    const span = this.current("updateCurrentSpan");
    if (!span) return;
    try {
      if (update.name) span.updateName(update.name);
      if (update.attributes) span.setAttributes(toAttributes(update.attributes));
      const status = toStatus(update.status, update.statusDescription);
      if (status) span.setStatus(status);
      if (update.respanParams) {
        const existing = (span as unknown as { attributes?: Attributes }).attributes ?? {};
        const { attributes, unknown } = respanParamsToAttributes(update.respanParams, existing);
        span.setAttributes(attributes);
        if (unknown.length) this.host()?.logger.once(`params:${unknown.join()}`, "WARNING", `unknown respanParams ignored: ${unknown.join(", ")}`);
      }
    } catch (error) {
      this.host()?.logger.once("update-threw", "WARNING", `updateCurrentSpan failed and was skipped: ${describeError(error)}`);
    }
  }

  addEvent(name: string, attributes?: Record<string, unknown>): void {
    try {
      this.current("addEvent")?.addEvent(String(name), attributes ? toAttributes(attributes) : undefined);
    } catch (error) {
      this.host()?.logger.once("add-event-threw", "WARNING", `addEvent failed and was skipped: ${describeError(error)}`);
    }
  }

  recordException(error: unknown): void {
    const span = this.current("recordException");
    if (!span) return;
    recordFailure(span, error);
  }

  /** Resolves once queued spans are exported (or given up on); never rejects. */
  flush(): Promise<void> {
    return this.host()?.flush() ?? Promise.resolve();
  }

  /** A buffer that collects spans instead of exporting them (SPEC §7). */
  getSpanBuffer(traceId: string, options?: SpanBufferOptions): SpanBuffer {
    const host = this.host();
    if (!host) throw new Error("getSpanBuffer(): construct RespanTelemetry first");
    return host.createSpanBuffer(traceId, options);
  }

  /** Sends buffered (or deserialised) spans through the processors; resolves false on failure. */
  processSpans(spans: SpanBuffer | readonly ReadableSpan[]): Promise<boolean> {
    const host = this.host();
    if (!host) return Promise.resolve(false);
    if (Array.isArray(spans)) return host.processSpans(spans);
    if (typeof (spans as SpanBuffer | undefined)?.getAllSpans === "function") return host.processSpans((spans as SpanBuffer).getAllSpans());
    host.logger.once("process-spans-type", "WARNING", "processSpans(): pass a SpanBuffer or an array of spans; nothing was processed");
    return Promise.resolve(false);
  }

  /** The current context, to hand to `runWithContext` or a wrapper's `context` option later. */
  currentContext(): Context {
    claimFreeGlobals(); // a context manager must exist for this context to be carried anywhere
    return context.active();
  }

  /** Runs `fn` in `ctx` (e.g. an incoming request's trace), also before any span of ours started. */
  runWithContext<R>(ctx: Context, fn: () => R): R {
    // Globals are claimed at our first span (SPEC §11 Coexistence); entering a context is as good a moment.
    claimFreeGlobals();
    return context.with(ctx, fn);
  }
}

function toAttributes(input: Record<string, unknown>): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    out[key] = isAttributeValue(value) ? value : safeStringify(value);
  }
  return out;
}

function isAttributeValue(value: unknown): value is AttributeValue {
  const t = typeof value;
  if (t === "string" || t === "number" || t === "boolean") return true;
  if (!Array.isArray(value)) return false;
  const kinds = new Set(value.filter((item) => item !== null && item !== undefined).map((item) => typeof item));
  return kinds.size <= 1 && [...kinds].every((k) => k === "string" || k === "number" || k === "boolean");
}

function toStatus(status: UpdateSpanOptions["status"], description: string | undefined): SpanStatus | undefined {
  if (status === undefined) return undefined;
  if (typeof status === "object") return status;
  const code = typeof status === "number" ? status : { OK: SpanStatusCode.OK, ERROR: SpanStatusCode.ERROR, UNSET: SpanStatusCode.UNSET }[status];
  if (code === undefined) return undefined;
  return code === SpanStatusCode.ERROR && description ? { code, message: description } : { code };
}
