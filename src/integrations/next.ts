/**
 * `respan-tracing/next`: Next.js App Router helpers, for `runtime = "nodejs"` and `"edge"` alike.
 * `withRespan(handler)` gives each request a root span (honouring `traceparent`) and exports its
 * spans through `after()`, once the response, streamed bodies included, is done.
 * @example
 * // instrumentation.ts
 * export async function register() {
 *   (await import("respan-tracing/next")).registerRespan({ appName: "chat" });
 * }
 * // app/api/chat/route.ts
 * export const POST = withRespan(async (request) => streamChat(request));
 */
import * as nextServer from "next/server";
import { contextFromHeaders, finishResponse, requestSpec, traceInvocation } from "../core/invocation.js";
import { activeHost } from "../core/host.js";
import type { RespanOptions } from "../core/options.js";
import type { WaitUntil } from "../core/request-scope.js";
import { RespanTelemetry } from "#runtime";

type RouteHandler<A extends unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;

export interface WithRespanOptions {
  /** The route shown in the span name (default: the request's path), e.g. "/api/chat/[id]". */
  route?: string;
}

/**
 * Constructs the RespanTelemetry for this runtime (call it in `instrumentation.ts` `register()`);
 * the runtime's own build is picked by Next (node or edge), and calling it twice is harmless.
 */
export function registerRespan(options: RespanOptions = {}): RespanTelemetry {
  const current = activeHost();
  if (current instanceof RespanTelemetry) return current;
  return new RespanTelemetry(options);
}

/** `after()` keeps the function (and its AsyncLocalStorage) alive until the promise settles. */
const afterResponse: WaitUntil | undefined =
  typeof (nextServer as { after?: unknown }).after === "function" ? (promise) => nextServer.after(promise) : undefined;

/** Wraps an App Router route handler in a root span; a no-op until RespanTelemetry exists. */
export function withRespan<A extends unknown[]>(handler: RouteHandler<A>, options: WithRespanOptions = {}): RouteHandler<A> {
  return function traced(request: Request, ...rest: A) {
    const host = activeHost();
    if (!host || !host.enabled) return handler(request, ...rest);
    const { name, attributes } = requestSpec(request, options.route);
    return traceInvocation(
      host,
      { name, attributes, parent: contextFromHeaders(request.headers), waitUntil: afterResponse ?? ((promise) => void promise) },
      () => handler(request, ...rest),
      finishResponse,
    );
  };
}
