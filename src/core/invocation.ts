import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, trace, type Attributes, type Context, type Link, type Span } from "@opentelemetry/api";
export { contextFromHeaders } from "./traceparent.js";
import { REQUEST_SCOPE_KEY, RequestScope, type WaitUntil } from "./request-scope.js";
import { PENDING_LINKS_KEY } from "./context-keys.js";
import { trackReadableStream } from "./stream-tracking.js";
import { endStreamSpan } from "./settle-span.js";
import { USER_WORK_WAIT_MS, settleWithin } from "./deadline.js";
import type { TracingHost } from "./host.js";
import { describeError, recordFailure } from "./describe-error.js";

export interface InvocationSpec {
  name: string;
  attributes: Attributes;
  parent: Context;
  waitUntil: WaitUntil;
  kind?: SpanKind;
  /** Spans this invocation continues without being their child (e.g. the producers of a queue batch). */
  links?: Link[];
}

/** What `finish` decides: the value to return, and when the root span has ended (streams end later). */
export interface Finished<R> {
  value: R;
  ended: Promise<void>;
}

/**
 * Runs one invocation (a request, a cron run, a queue batch) in a root span with a request scope.
 * When it returns, the export is handed to `waitUntil`: after the root span has ended (a streamed
 * body may end it later) and after the user's own waitUntil work, so nothing made in it is lost.
 */
export async function traceInvocation<R>(
  telemetry: TracingHost,
  spec: InvocationSpec,
  run: (scope: RequestScope) => Promise<R> | R,
  finish: (result: R, span: Span) => Finished<R> = (value, span) => (span.end(), { value, ended: Promise.resolve() }),
): Promise<R> {
  const scope = new RequestScope(spec.waitUntil);
  const span = telemetry.startSpan(spec.name, { kind: spec.kind ?? SpanKind.SERVER, attributes: spec.attributes, links: spec.links }, spec.parent);
  // Links attached anywhere in this invocation stay in it (SPEC §11 Isolation).
  const ctx = trace.setSpan(spec.parent, span).setValue(REQUEST_SCOPE_KEY, scope).setValue(PENDING_LINKS_KEY, { links: [] });
  let ended: Promise<void> = Promise.resolve();
  try {
    const result = await context.with(ctx, () => run(scope));
    const finished = finish(result, span);
    ended = finished.ended;
    return finished.value;
  } catch (error) {
    recordFailure(span, error);
    span.end();
    throw error;
  } finally {
    scope.responded = true;
    scope.handOff(context.with(ctx, async () => {
      await ended;
      // The user's waitUntil work may still make spans; spans ending even later flush on their own.
      await settleWithin(scope.settled(), USER_WORK_WAIT_MS);
      await telemetry.flush();
    }));
  }
}

/**
 * Records the response status on the root span and, when the body streams (SSE chat replies),
 * keeps the span open until the body is fully sent or the client goes away.
 */
export function finishResponse(response: Response, span: Span): Finished<Response> {
  if (!(response instanceof Response)) {
    span.end();
    return { value: response, ended: Promise.resolve() };
  }
  span.setAttribute("http.response.status_code", response.status);
  if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  // Upgrades (WebSockets) must be returned untouched.
  const upgraded = response.status === 101 || (response as { webSocket?: unknown }).webSocket;
  // A body already being read (locked) cannot be observed: the response goes out untouched.
  if (!response.body || upgraded || response.body.locked) {
    span.end();
    return { value: response, ended: Promise.resolve() };
  }
  let markEnded!: () => void;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  const body = trackReadableStream(response.body, ({ error, cancelled, abandoned, lastReadAt }) => {
    if (error !== undefined) {
      recordFailure(span, error, "response body failed");
    }
    if (cancelled) span.setAttribute("http.response.cancelled", true);
    endStreamSpan(span, abandoned ? lastReadAt : undefined);
    markEnded();
  });
  return { value: new Response(body, response), ended };
}

/** Span name and attributes of an incoming HTTP request (OTel HTTP semantic conventions). */
export function requestSpec(request: Request, route?: string): { name: string; attributes: Attributes } {
  const url = new URL(request.url);
  const path = route ?? url.pathname;
  return {
    name: `${request.method} ${path}`,
    attributes: {
      "http.request.method": request.method,
      "url.path": url.pathname,
      "url.full": `${url.origin}${url.pathname}`,
      "http.route": path,
    },
  };
}
