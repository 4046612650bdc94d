import { SpanKind, SpanStatusCode, context, createContextKey, trace, type Attributes, type Context, type Span } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import { activeHost, type TracingHost } from "../../core/host.js";
import { getEntityScope } from "../../core/context-keys.js";
import { isClientPromise, observeClientPromise } from "../../core/client-promise.js";
import type { Instruments } from "../../core/options.js";
import { describeError, recordFailure } from "../../core/describe-error.js";
import { endStreamSpan } from "../../core/settle-span.js";
import { whenCollected } from "../../core/when-collected.js";

/** Set by patchHelper: the caller's context, under a helper that runs with tracing suppressed. */
export const OUTER_CONTEXT_KEY = /* @__PURE__ */ createContextKey("respan-tracing.llm-outer-context");

/** Collects what a call returned (or streamed) and writes it onto the span. */
export interface ResponseRecorder {
  /** A complete (non-streamed) response. */
  response(value: unknown): void;
  /** One streamed chunk or event. */
  chunk(value: unknown): void;
  /** The stream ended (fully read or abandoned): write what the chunks added up to. */
  streamEnd(): void;
}

export interface LlmCall {
  instrument: Instruments;
  name: string;
  attributes: Attributes;
  /** Prompt attributes, written only when content tracing is on. */
  prompts?: () => Attributes;
  recorder: (span: Span, withContent: boolean) => ResponseRecorder;
}

/** The instance whose instrumentation applies now, if this instrument is on for it. */
export function hostFor(instrument: Instruments): TracingHost | undefined {
  const host = activeHost();
  return host && host.enabled && host.isInstrumentEnabled(instrument) ? host : undefined;
}


/**
 * Runs one client call in an LLM span and records its result, without changing what the caller
 * gets: the same promise object (its `withResponse()`/`asResponse()` keep working) and, for a
 * stream, the same Stream object, whose iteration is observed in place. The SDK's own call runs
 * with tracing suppressed, so it adds no duplicate spans (e.g. @anthropic-ai/sdk's native ones).
 */
export function traceLlmCall(host: TracingHost, call: LlmCall, run: () => unknown): unknown {
  const active = context.active();
  const parent = (active.getValue(OUTER_CONTEXT_KEY) as Context | undefined) ?? active;
  // Privacy is inherited from the enclosing wrapper (SPEC §11), not only the global flag.
  const withContent = host.traceContent && getEntityScope(parent)?.traceContent !== false;
  const span = host.tracer.startSpan(call.name, { kind: SpanKind.CLIENT, attributes: call.attributes }, parent);
  if (withContent && call.prompts) safely(() => span.setAttributes(call.prompts!()));
  const recorder = call.recorder(span, withContent);
  let ended = false;
  /** `abandonedAt`: the stream was collected unread; the span ends at its last read. */
  const end = (error?: unknown, abandonedAt?: number) => {
    if (ended) return;
    ended = true;
    if (error !== undefined) {
      recordFailure(span, error);
    }
    endStreamSpan(span, abandonedAt);
  };
  const settle = (value: unknown): unknown => {
    if (tapStream(value, recorder, end)) return value;
    safely(() => recorder.response(value));
    end();
    return value;
  };

  let result: unknown;
  try {
    result = context.with(suppressTracing(trace.setSpan(parent, span)), run);
  } catch (error) {
    end(error);
    throw error;
  }
  if (isClientPromise(result)) {
    observeClientPromise(result, {
      parsed: settle,
      response(status, parsing) {
        if (status !== undefined) span.setAttribute("http.response.status_code", status);
        // Read raw (asResponse) or not at all: there is no parsed body to wait for.
        if (!parsing) end();
      },
      failed: (error) => end(error),
    });
    return result;
  }
  if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
    (result as PromiseLike<unknown>).then(settle, (error: unknown) => end(error));
    return result;
  }
  return settle(result);
}

/**
 * Observes a client Stream in place: its `iterator` (openai, anthropic: used by for-await,
 * tee() and toReadableStream()) or its Symbol.asyncIterator is replaced by one that taps chunks.
 */
function tapStream(value: unknown, recorder: ResponseRecorder, end: (error?: unknown, abandonedAt?: number) => void): boolean {
  if (typeof value !== "object" || value === null) return false;
  const stream = value as { iterator?: unknown; [Symbol.asyncIterator]?: unknown };
  const key: "iterator" | typeof Symbol.asyncIterator | undefined =
    typeof stream.iterator === "function" && Object.prototype.hasOwnProperty.call(stream, "iterator")
      ? "iterator"
      : typeof stream[Symbol.asyncIterator] === "function"
        ? Symbol.asyncIterator
        : undefined;
  if (!key) return false;
  const original = stream[key] as (this: unknown) => AsyncIterator<unknown>;
  let finished = false;
  const read = { at: Date.now() };
  const finish = (error?: unknown, abandonedAt?: number) => {
    if (finished) return;
    finished = true;
    safely(() => recorder.streamEnd());
    end(error, abandonedAt);
  };
  // Never read to its end, aborted or kept: the span ends when the Stream is collected. No closure
  // here may hold `stream`; the tapped iterator holds it while it is read (see tapIterator).
  whenCollected(stream, () => finish(undefined, read.at));
  // Aborted before (or instead of) being read: the span ends then, rather than never.
  try {
    const signal = (stream as { controller?: { signal?: AbortSignal } }).controller?.signal;
    signal?.addEventListener?.("abort", () => finish(), { once: true });
  } catch {
    // No usable signal: iteration alone ends the span.
  }
  Object.defineProperty(stream, key, {
    configurable: true,
    writable: true,
    value: function (this: unknown) {
      return tapIterator(original.call(this), recorder, finish, read, { stream: this });
    },
  });
  return true;
}

/**
 * `held.stream`: the Stream being read. A for-await holds only this iterator, and the client's own
 * iterator need not hold its Stream: without this reference the Stream could be collected while
 * it is still read, and its span end early as abandoned.
 */
async function* tapIterator(source: AsyncIterator<unknown>, recorder: ResponseRecorder, finish: (error?: unknown) => void, read: { at: number }, held: { stream?: unknown }) {
  let failed = false;
  try {
    for (;;) {
      const { done, value } = await source.next();
      if (done) return;
      read.at = Date.now();
      safely(() => recorder.chunk(value));
      yield value;
    }
  } catch (error) {
    failed = true;
    finish(error);
    throw error;
  } finally {
    if (!failed) finish();
    held.stream = undefined;
    // Abandoned (break): let the client abort its request, as it would without us.
    await source.return?.();
  }
}

/** Recording must never break the caller's call. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // A response shape we did not expect: the span just carries less.
  }
}
