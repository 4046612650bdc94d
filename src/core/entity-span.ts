import { context, trace, SpanStatusCode, type Attributes, type Context, type Link, type Span } from "@opentelemetry/api";
import * as attr from "./attributes.js";
import { ENTITY_SCOPE_KEY, PENDING_LINKS_KEY, getEntityScope, type EntityScope } from "./context-keys.js";
import { appendToPath, ROOT_PATH } from "./entity-path.js";
import type { TracingHost } from "./host.js";
import { safeStringify, truncateString } from "./safe-json.js";
import { stringifyArguments } from "./safe-json-arguments.js";
import { consumeAttachedLinks, type SpanLink } from "./span-link.js";
import { isAsyncIterable, isReadableStream, trackAsyncIterable, trackReadableStream, type StreamEnd } from "./stream-tracking.js";
import { describeError, recordFailure } from "./describe-error.js";
import { endStreamSpan } from "./settle-span.js";
import { isClientPromise, observeClientPromise } from "./client-promise.js";

/** Options shared by `workflow`, `task`, `agent` and `tool` (SPEC §3). */
export interface EntityOptions {
  /** Default: the function's (or method's) name. */
  name?: string;
  version?: number;
  /** Send this span (and, unless they set their own, its descendants) only to these processors. */
  processors?: string | string[];
  /** Probability 0..1 that this span is exported; checked when it ends; not inherited. */
  sampleRate?: number;
  links?: SpanLink[] | Link[] | (() => SpanLink[] | Link[]);
  /**
   * Record input and output. Default: the telemetry's `traceContent` (true). `false` also holds
   * for everything started inside (nested wrappers, LLM and fetch spans, other libraries' spans).
   */
  traceContent?: boolean;
  /** Explicit parent context (from `client.currentContext()`), for runtimes without async context. */
  context?: Context;
}

/**
 * Runs `fn` inside a span of the given kind. Sync stays sync, a Promise stays a Promise, a returned
 * stream keeps the span open until consumed. Errors are recorded and re-thrown unchanged.
 */
export function runEntity<R>(
  host: TracingHost | undefined,
  kind: attr.EntityKind,
  options: EntityOptions,
  fn: (...args: any[]) => R,
  thisArg: unknown,
  args: unknown[],
): R {
  if (!host || !host.enabled) return fn.apply(thisArg, args);
  const parent = options.context ?? context.active();
  const name = truncateString(String(options.name || fn.name || kind), MAX_NAME_CHARS);
  const scope = getEntityScope(parent);
  // Privacy is inherited: once a wrapper turned content off, nothing inside may turn it back on.
  const traceContent = scope?.traceContent === false ? false : (options.traceContent ?? host.traceContent) !== false;
  const childScope: EntityScope = {
    workflowName: kind === "workflow" ? name : scope?.workflowName,
    path: appendToPath(scope?.path ?? ROOT_PATH, name),
    processors: normaliseProcessors(options.processors) ?? scope?.processors,
    traceContent: traceContent ? undefined : false,
  };
  let span: Span;
  try {
    span = host.startSpan(
      `${name}.${kind}`,
      { attributes: entityAttributes(kind, name, options, scope, childScope), links: collectLinks(options, parent, host) },
      parent,
    );
  } catch (error) {
    // Tracing must never keep the user's function from running.
    host.logger.once("start-span-threw", "ERROR", `a ${kind} span could not be started and the function ran untraced: ${describeError(error)}`);
    return fn.apply(thisArg, args);
  }
  if (options.sampleRate !== undefined) host.setSampleRate(span, options.sampleRate);
  if (traceContent) span.setAttribute(attr.ENTITY_INPUT, formatInput(args));

  const inner = withValues(trace.setSpan(parent, span), ENTITY_SCOPE_KEY, childScope, PENDING_LINKS_KEY, { links: [] });
  let result: R;
  try {
    result = context.with(inner, () => fn.apply(thisArg, args));
  } catch (error) {
    fail(span, error);
    throw error;
  }
  if (isThenable(result)) return settleThenable(span, result, traceContent) as R;
  return settle(span, result, traceContent) as R;
}

/**
 * What the caller gets for an awaitable result. A plain Promise (an async function) is chained, so
 * a stream it resolves to can still be observed. A Promise subclass (OpenAI's APIPromise, with
 * `withResponse()`) is returned itself, observed beside. Any other thenable (a lazy query builder
 * that runs when `then` is called) is returned untouched and not awaited: the span ends now.
 */
function settleThenable(span: Span, result: PromiseLike<unknown>, traceContent: boolean): unknown {
  if (isPlainPromise(result)) {
    return result.then(
      (value) => settle(span, value, traceContent),
      (error: unknown) => {
        fail(span, error);
        throw error;
      },
    );
  }
  if (isClientPromise(result)) {
    // OpenAI/Anthropic: observed through its own hooks, so asResponse() still gets an unread body.
    let settled = false;
    const once = (end: () => void) => {
      if (settled) return;
      settled = true;
      end();
    };
    observeClientPromise(result, {
      parsed: (value) => (once(() => settleObserved(span, value, traceContent)), value),
      response: (_status, parsing) => {
        if (!parsing) once(() => settleObserved(span, "[raw response]", traceContent));
      },
      failed: (error) => once(() => fail(span, error)),
    });
    return result;
  }
  if (result instanceof Promise) {
    result.then(
      (value) => settleObserved(span, value, traceContent),
      (error: unknown) => fail(span, error),
    );
    return result;
  }
  if (traceContent) writeOutput(span, "[thenable, not awaited by the wrapper]");
  span.end();
  return result;
}

function isPlainPromise(value: PromiseLike<unknown>): value is Promise<unknown> {
  try {
    return value instanceof Promise && Object.getPrototypeOf(value) === Promise.prototype;
  } catch {
    return false;
  }
}

/** Ends the span for a value the caller receives from elsewhere (it cannot be replaced by a tracked stream). */
function settleObserved(span: Span, value: unknown, traceContent: boolean): void {
  if (traceContent) writeOutput(span, streamKind(value) ? "[stream]" : value);
  span.end();
}

function entityAttributes(kind: attr.EntityKind, name: string, options: EntityOptions, parent: EntityScope | undefined, scope: EntityScope): Attributes {
  const attributes: Attributes = { [attr.SPAN_KIND]: kind, [attr.ENTITY_NAME]: name };
  if (scope.workflowName) attributes[attr.WORKFLOW_NAME] = scope.workflowName;
  if (parent?.path.names.length) attributes[attr.ENTITY_PATH] = parent.path.text;
  if (options.version !== undefined) attributes[attr.ENTITY_VERSION] = options.version;
  if (scope.processors) attributes[attr.RESPAN_PROCESSORS] = scope.processors;
  return attributes;
}

function normaliseProcessors(processors: string | string[] | undefined): string[] | undefined {
  if (processors === undefined) return undefined;
  const list = (Array.isArray(processors) ? processors : [processors]).filter((p) => typeof p === "string" && p !== "");
  return list.length > 0 ? list : undefined;
}

/**
 * `ctx` with two more values. OTel's contexts copy their whole Map on every setValue; the context
 * `trace.setSpan` just returned is a fresh copy nobody else holds yet, so where it is OTel's own
 * (a `_currentContext` Map) the two values go straight into that copy: one copy per wrapper
 * instead of three. Any other Context implementation gets plain setValue calls.
 */
function withValues(ctx: Context, key1: symbol, value1: unknown, key2: symbol, value2: unknown): Context {
  const map = (ctx as { _currentContext?: unknown })._currentContext;
  if (!(map instanceof Map)) return ctx.setValue(key1, value1).setValue(key2, value2);
  map.set(key1, value1);
  map.set(key2, value2);
  return ctx;
}

/** Shared by every call without links: nothing mutates it, and none is allocated per span. */
const NO_LINKS: Link[] = [];

/** The span's links; undefined when there are none (OTel then gives the span its own empty list). */
function collectLinks(options: EntityOptions, parent: Context, host: TracingHost): Link[] | undefined {
  let explicit: Link[] = NO_LINKS;
  try {
    explicit = typeof options.links === "function" ? options.links() : (options.links ?? NO_LINKS);
  } catch (error) {
    host.logger.once("links-threw", "WARNING", `the links() option threw, the span has no explicit links: ${describeError(error)}`);
  }
  const attached = consumeAttachedLinks(parent);
  if (attached.length === 0 && Array.isArray(explicit) && explicit.length === 0) return undefined;
  const all = [...(Array.isArray(explicit) ? explicit : []), ...attached];
  const valid = all.filter(isValidLink);
  if (valid.length !== all.length) {
    host.logger.once("bad-links", "WARNING", `${all.length - valid.length} link(s) without a valid trace and span id were ignored; use new SpanLink({ traceId, spanId })`);
  }
  return valid;
}

function isValidLink(link: unknown): link is Link {
  try {
    const ctx = (link as Link | undefined)?.context;
    return typeof ctx?.traceId === "string" && /^[0-9a-f]{32}$/.test(ctx.traceId) && typeof ctx.spanId === "string" && /^[0-9a-f]{16}$/.test(ctx.spanId);
  } catch {
    return false;
  }
}

/**
 * Entity names beyond this are cut with a marker: a span name is an index key for backends, and
 * 1 KiB already exceeds any readable name.
 */
const MAX_NAME_CHARS = 1024;
/**
 * `{"args":[…],"kwargs":{}}` as the Python SDK writes it; a single plain-object argument is
 * taken as keyword arguments, the closest JavaScript has to them. `args`: the wrapper's own
 * rest-parameter array (see stringifyArguments).
 */
export function formatInput(args: unknown[]): string {
  if (args.length === 1 && isPlainObject(args[0])) return safeStringify({ args: [], kwargs: args[0] });
  return stringifyArguments(args);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    return typeof value === "object" && value !== null && typeof (value as PromiseLike<unknown>).then === "function";
  } catch {
    // A hostile getter or a revoked Proxy: treat the value as plain; the caller gets it as it is.
    return false;
  }
}

/** Ends the span now, or, for a stream, when the stream is done. Returns what the caller gets. */
function settle(span: Span, result: unknown, traceContent: boolean): unknown {
  const kind = streamKind(result);
  // A stream someone already reads (locked) cannot be observed: return it untouched, end the span now.
  if (kind === "readable" || kind === "iterable") {
    const onEnd: StreamEnd = ({ error, abandoned, text, chunks, lastReadAt }) => {
      if (error !== undefined) return fail(span, error);
      if (traceContent) writeOutput(span, text !== "" ? text : `[stream of ${chunks} chunk(s)]`);
      endStreamSpan(span, abandoned ? lastReadAt : undefined);
    };
    try {
      return kind === "readable" ? trackReadableStream(result as ReadableStream, onEnd) : trackAsyncIterable(result as AsyncIterable<unknown>, onEnd);
    } catch {
      // Observing must never break the caller: they get their value as it was.
    }
  }
  if (kind === "locked") {
    if (traceContent) writeOutput(span, "[stream, not observed: already being read]");
    span.end();
    return result;
  }
  if (traceContent) writeOutput(span, result);
  span.end();
  return result;
}

/** What kind of result this is; never throws, whatever getters or Proxies the value has. */
function streamKind(result: unknown): "readable" | "locked" | "iterable" | undefined {
  try {
    if (isReadableStream(result)) return result.locked ? "locked" : "readable";
    return isAsyncIterable(result) ? "iterable" : undefined;
  } catch {
    return undefined;
  }
}

function writeOutput(span: Span, value: unknown): void {
  // An output set by the user through updateCurrentSpan wins over the captured one.
  const current = (span as unknown as { attributes?: Attributes }).attributes;
  if (current && current[attr.ENTITY_OUTPUT] !== undefined) return;
  span.setAttribute(attr.ENTITY_OUTPUT, safeStringify(value));
}

function fail(span: Span, error: unknown): void {
  try {
    recordFailure(span, error);
  } finally {
    span.end();
  }
}
