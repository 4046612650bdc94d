import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { RESPAN_PROCESSORS, TRACER_NAME } from "./attributes.js";
import { stripContent } from "./content-attributes.js";
import { SPAN_BUFFER_KEY, getEntityScope } from "./context-keys.js";
import { inheritEntityAttributes } from "./entity-inheritance.js";
import type { Logger } from "./logger.js";
import type { DeliveryStats, QueueingSpanProcessor } from "./queueing-processor.js";
import { getRequestScope, type RequestScope } from "./request-scope.js";
import type { SpanBuffer } from "./span-buffer.js";

export interface RouteEntry {
  name?: string;
  filter?: (span: ReadableSpan) => boolean;
  processor: QueueingSpanProcessor;
}

export interface RouterHooks {
  logger: Logger;
  /** Called after a span inside a request scope is routed, once the scope has responded. */
  afterResponse?: (scope: RequestScope) => void;
  postprocess?: (span: ReadableSpan) => void;
  /** The instance's global traceContent; false strips content from other libraries' spans too. */
  traceContent?: boolean;
  redact?: (span: ReadableSpan) => void;
}

/**
 * The one processor on the tracer provider. It hands inherited entity attributes to spans that
 * other libraries start inside an entity, keeps buffered spans out of export, applies per-span
 * sampling, and routes each ended span to the processors it belongs to (SPEC §5).
 */
export class SpanRouter implements SpanProcessor {
  private readonly entries: RouteEntry[] = [];
  private readonly buffers = new WeakMap<object, SpanBuffer>();
  private readonly sampleRates = new WeakMap<object, number>();
  private readonly scopes = new WeakMap<object, RequestScope>();
  /** Spans of other libraries started where content capture is off: their content is removed at the end. */
  private readonly contentless = new WeakSet<object>();

  constructor(private readonly hooks: RouterHooks) {}

  add(entry: RouteEntry): void {
    this.entries.push(entry);
  }

  setSampleRate(span: object, rate: number): void {
    this.sampleRates.set(span, rate);
  }

  stats(): DeliveryStats {
    const total: DeliveryStats = { exported: 0, failed: 0, dropped: 0, queued: 0 };
    for (const { processor } of this.entries) {
      const s = processor.stats();
      total.exported += s.exported;
      total.failed += s.failed;
      total.dropped += s.dropped;
      total.queued += s.queued;
    }
    return total;
  }

  onStart(span: Span, parentContext: Context): void {
    const buffer = parentContext.getValue(SPAN_BUFFER_KEY) as SpanBuffer | undefined;
    if (buffer) this.buffers.set(span, buffer);
    const request = getRequestScope(parentContext);
    if (request) this.scopes.set(span, request);
    inheritEntityAttributes(span, parentContext);
    // Privacy (SPEC §11): other libraries' spans started where content capture is off lose their
    // content when they end (ours never record it there).
    const contentOff = this.hooks.traceContent === false || getEntityScope(parentContext)?.traceContent === false;
    if (contentOff && span.instrumentationScope?.name !== TRACER_NAME) this.contentless.add(span);
  }

  onEnd(span: ReadableSpan): void {
    if (this.contentless.has(span)) stripContent(span.attributes);
    const buffer = this.buffers.get(span);
    if (buffer) {
      buffer.add(span);
      return;
    }
    this.route(span);
    // A span ending after the response (a stream, the user's waitUntil work) is exported through
    // the request's waitUntil: nothing else would keep the runtime alive for it.
    const request = this.scopes.get(span);
    if (request?.responded) this.hooks.afterResponse?.(request);
  }

  /** Sends one ended span to every processor it belongs to. */
  route(span: ReadableSpan): void {
    const rate = this.sampleRates.get(span);
    if (rate !== undefined && !(Math.random() < rate)) return;
    this.runHook("spanPostprocessCallback", this.hooks.postprocess, span);
    this.runHook("redact", this.hooks.redact, span);
    if (this.entries.length === 0) {
      this.hooks.logger.once("no-processor", "WARNING", "no API key, exportUrl, customExporter or processor is configured: spans are created but not exported");
      return;
    }
    const listed = span.attributes[RESPAN_PROCESSORS];
    const names = Array.isArray(listed) ? listed.map(String) : undefined;
    for (const entry of this.entries) {
      if (this.accepts(entry, span, names)) entry.processor.onEnd(span);
    }
  }

  private accepts(entry: RouteEntry, span: ReadableSpan, names: string[] | undefined): boolean {
    if (names) return entry.name !== undefined && names.includes(entry.name) && this.passes(entry, span);
    if (entry.name === "default") return this.passes(entry, span);
    // A nameless processor takes unrouted spans that its filter accepts (all of them without one).
    return entry.name === undefined && this.passes(entry, span);
  }

  private passes(entry: RouteEntry, span: ReadableSpan): boolean {
    if (!entry.filter) return true;
    try {
      return entry.filter(span) === true;
    } catch (error) {
      this.hooks.logger.once(`filter:${entry.name ?? "?"}`, "WARNING", `the filter of processor "${entry.name ?? "(nameless)"}" threw; the span was not sent to it: ${String(error)}`);
      return false;
    }
  }

  private runHook(label: string, hook: ((span: ReadableSpan) => void) | undefined, span: ReadableSpan): void {
    if (!hook) return;
    try {
      hook(span);
    } catch (error) {
      this.hooks.logger.once(`hook:${label}`, "WARNING", `${label} threw; the span is exported as it was: ${String(error)}`);
    }
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.entries.map(({ processor }) => processor.forceFlush().catch(() => undefined)));
  }

  /** Like forceFlush, but does not queue behind requests already in flight (see QueueingSpanProcessor). */
  async flushNow(): Promise<void> {
    await Promise.all(this.entries.map(({ processor }) => processor.flushNow().catch(() => undefined)));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.entries.map(({ processor }) => processor.shutdown().catch(() => undefined)));
  }

  /** Gives up on every export in flight (see QueueingSpanProcessor.abortInFlight). */
  abortInFlight(): void {
    for (const { processor } of this.entries) processor.abortInFlight();
  }
}
