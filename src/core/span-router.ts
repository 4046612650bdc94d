import { trace, type Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { RESPAN_PROCESSORS, TRACER_NAME } from "./attributes.js";
import { withholdSpanContent } from "./content-attributes.js";
import { SPAN_BUFFER_KEY, getEntityScope } from "./context-keys.js";
import { inheritEntityAttributes } from "./entity-inheritance.js";
import type { Logger } from "./logger.js";
import type { DeliveryStats, QueueingSpanProcessor } from "./queueing-processor.js";
import { getRequestScope, type RequestScope } from "./request-scope.js";
import type { SpanBuffer } from "./span-buffer.js";
import { describeError } from "./describe-error.js";

export interface RouteEntry {
  name?: string;
  filter?: (span: ReadableSpan) => boolean;
  processor: QueueingSpanProcessor;
}

/** A span's marks; absent for most spans, which need none. */
interface SpanMarks {
  /** Blocked (or under a blocked parent): never exported, never counted as open. */
  blocked?: boolean;
  /** Started under a SpanBuffer: handed to it instead of the processors. */
  buffer?: SpanBuffer;
  /** Started inside a request (Workers, Next): exported through its waitUntil once it responded. */
  request?: RequestScope;
  /** Another library's span where content capture is off: its content is removed at the end. */
  contentless?: boolean;
  /** Exported with this probability (a wrapper's sampleRate). */
  sampleRate?: number;
}

export interface RouterHooks {
  logger: Logger;
  /** Called after a span inside a request scope is routed, once the scope has responded. */
  afterResponse?: (scope: RequestScope) => void;
  postprocess?: (span: ReadableSpan) => unknown;
  /** The instance's global traceContent; false strips content from other libraries' spans too. */
  traceContent?: boolean;
  redact?: (span: ReadableSpan) => void;
  /** Spans never to export: another library's own spans for an instrument that is off. */
  isBlocked?: (span: Span) => boolean;
}

/**
 * The one processor on the tracer provider. It hands inherited entity attributes to spans that
 * other libraries start inside an entity, keeps buffered spans out of export, applies per-span
 * sampling, and routes each ended span to the processors it belongs to (SPEC §5).
 */
export class SpanRouter implements SpanProcessor {
  private readonly entries: RouteEntry[] = [];
  /**
   * What the router must remember about a span between its start and its end, for the few spans
   * that need anything (one lookup per ended span, not one per kind of mark).
   */
  private readonly marks = new WeakMap<object, SpanMarks>();
  /** Spans dropped because `redact` threw. */
  private redactFailures = 0;
  /** Spans started and not ended yet (blocked ones aside): what a process that ends now loses. */
  private open = 0;

  constructor(private readonly hooks: RouterHooks) {}

  add(entry: RouteEntry): void {
    this.entries.push(entry);
  }

  /** Spans started and not ended yet. */
  openSpans(): number {
    return this.open;
  }

  setSampleRate(span: object, rate: number): void {
    const marks = this.marks.get(span);
    if (marks) marks.sampleRate = rate;
    else this.marks.set(span, { sampleRate: rate });
  }

  stats(): DeliveryStats {
    const total: DeliveryStats = { exported: 0, failed: 0, dropped: this.redactFailures, queued: 0 };
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
    const parent = trace.getSpan(parentContext);
    if ((parent && this.marks.get(parent)?.blocked) || this.hooks.isBlocked?.(span)) {
      this.marks.set(span, { blocked: true });
      return;
    }
    this.open++;
    const buffer = parentContext.getValue(SPAN_BUFFER_KEY) as SpanBuffer | undefined;
    const request = getRequestScope(parentContext);
    inheritEntityAttributes(span, parentContext);
    // Privacy (SPEC §11): other libraries' spans started where content capture is off have their
    // content withheld when they end (ours never record it there).
    const contentOff = this.hooks.traceContent === false || getEntityScope(parentContext)?.traceContent === false;
    const contentless = contentOff && span.instrumentationScope?.name !== TRACER_NAME;
    if (buffer || request || contentless) this.marks.set(span, { buffer, request, contentless });
  }

  onEnd(span: ReadableSpan): void {
    const marks = this.marks.get(span);
    if (marks?.blocked) return;
    this.open--;
    if (marks?.contentless) withholdSpanContent(span);
    if (marks?.buffer) {
      marks.buffer.add(span);
      return;
    }
    this.routeMarked(span, marks);
    // A span ending after the response (a stream, the user's waitUntil work) is exported through
    // the request's waitUntil: nothing else would keep the runtime alive for it.
    const request = marks?.request;
    if (request?.responded) this.hooks.afterResponse?.(request);
  }

  /** Sends one ended span to every processor it belongs to. */
  route(span: ReadableSpan): void {
    this.routeMarked(span, this.marks.get(span));
  }

  private routeMarked(span: ReadableSpan, marks: SpanMarks | undefined): void {
    const rate = marks?.sampleRate;
    if (rate !== undefined && !(Math.random() < rate)) return;
    this.runHook("spanPostprocessCallback", this.hooks.postprocess, span);
    if (!this.redacted(span)) return;
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
    const label = entry.name ?? "(nameless)";
    try {
      const verdict: unknown = entry.filter(span);
      if (isThenable(verdict)) {
        verdict.then(undefined, () => undefined); // never an unhandled rejection from a user's hook
        this.hooks.logger.once(`filter-async:${label}`, "WARNING", `the filter of processor "${label}" returned a Promise; filters must answer synchronously, so spans are not sent to it`);
        return false;
      }
      // Truthy, as in Array.prototype.filter (a name, a count), not only `true`.
      return Boolean(verdict);
    } catch (error) {
      this.hooks.logger.once(`filter:${entry.name ?? "?"}`, "WARNING", `the filter of processor "${entry.name ?? "(nameless)"}" threw; the span was not sent to it: ${describeError(error)}`);
      return false;
    }
  }

  /** Applies `redact`; false when it failed, so the span must not leave the process (fail closed). */
  private redacted(span: ReadableSpan): boolean {
    if (!this.hooks.redact) return true;
    try {
      this.hooks.redact(span);
      return true;
    } catch (error) {
      this.redactFailures++;
      this.hooks.logger.once("hook:redact", "WARNING", `redact threw; the span was dropped so that nothing it should remove is exported (counted as dropped): ${describeError(error)}`);
      return false;
    }
  }

  private runHook(label: string, hook: ((span: ReadableSpan) => unknown) | undefined, span: ReadableSpan): void {
    if (!hook) return;
    try {
      const result = hook(span);
      // An async hook: it cannot change what is exported now, and must not reject unhandled.
      if (isThenable(result)) {
        result.then(undefined, (error: unknown) => this.hooks.logger.once(`hook-async:${label}`, "WARNING", `${label} returned a Promise that rejected: ${describeError(error)}`));
      }
    } catch (error) {
      this.hooks.logger.once(`hook:${label}`, "WARNING", `${label} threw; the span is exported as it was: ${describeError(error)}`);
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

function isThenable(value: unknown): value is Promise<unknown> {
  try {
    return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as PromiseLike<unknown>).then === "function";
  } catch {
    return false;
  }
}
