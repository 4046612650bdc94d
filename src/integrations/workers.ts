/**
 * `respan-tracing/workers`: instrument a Cloudflare Worker's handlers. Each `fetch`, `scheduled` and
 * `queue` invocation gets a root span (an incoming `traceparent` is honoured), and its spans are
 * exported through `ctx.waitUntil`, after the user's own waitUntil work, so none are lost after
 * the response, including spans of requests that did no I/O and of streamed responses.
 * @example
 * import { instrumentWorker } from "respan-tracing/workers";
 * export default instrumentWorker({ async fetch(request, env, ctx) { … } }, (env) => ({ appName: "my-worker" }));
 */
import { SpanKind } from "@opentelemetry/api";
import { contextFromHeaders, finishResponse, requestSpec, traceInvocation } from "../core/invocation.js";
import type { RespanOptions } from "../core/options.js";
import { RespanTelemetry } from "../runtime/workerd.js";
import { ROOT_CONTEXT } from "@opentelemetry/api";

/** The parts of Cloudflare's ExecutionContext used here (no dependency on workers-types). */
export interface WorkerExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException?(): void;
}

export interface WorkerHandler<Env = unknown> {
  fetch?(request: Request, env: Env, ctx: WorkerExecutionContext): Response | Promise<Response>;
  scheduled?(controller: { cron: string; scheduledTime: number }, env: Env, ctx: WorkerExecutionContext): void | Promise<void>;
  queue?(batch: { queue: string; messages: readonly unknown[] }, env: Env, ctx: WorkerExecutionContext): void | Promise<void>;
  [other: string]: unknown;
}

export type WorkerOptions<Env> = RespanOptions | ((env: Env) => RespanOptions);

/** A context whose waitUntil is tracked by the request scope; every other member is the real one. */
function trackedContext(ctx: WorkerExecutionContext, waitUntil: (promise: Promise<unknown>) => void): WorkerExecutionContext {
  return new Proxy(ctx, {
    get(target, property) {
      if (property === "waitUntil") return waitUntil;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export function instrumentWorker<Env, H extends WorkerHandler<Env>>(handler: H, options: WorkerOptions<Env> = {}): H {
  let telemetry: RespanTelemetry | undefined;
  // One instance per isolate, made at the first invocation: that is when `env` is known.
  const telemetryFor = (env: Env): RespanTelemetry => {
    if (!telemetry || telemetry.isShutdown) {
      const resolved = typeof options === "function" ? options(env) : options;
      telemetry = new RespanTelemetry({ env: env as Record<string, unknown>, ...resolved });
    }
    return telemetry;
  };
  const waitUntilOf = (ctx: WorkerExecutionContext) => (promise: Promise<unknown>) => ctx.waitUntil(promise);
  // Inherits every handler we do not wrap (email, tail, …), including those a class instance
  // defines on its prototype, which a spread would drop.
  const wrapped = Object.create(handler) as WorkerHandler<Env>;
  // workerd may look for handlers among own properties: give each inherited method one, bound to the handler.
  for (let proto = Object.getPrototypeOf(handler); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const value = (handler as Record<string, unknown>)[key];
      if (key !== "constructor" && typeof value === "function" && !Object.prototype.hasOwnProperty.call(wrapped, key)) wrapped[key] = value.bind(handler);
    }
  }

  if (handler.fetch) {
    const fetch = handler.fetch;
    wrapped.fetch = (request, env, ctx) => {
      const { name, attributes } = requestSpec(request);
      return traceInvocation(
        telemetryFor(env),
        { name, attributes, parent: contextFromHeaders(request.headers), waitUntil: waitUntilOf(ctx) },
        (scope) => fetch.call(handler, request, env, trackedContext(ctx, scope.waitUntil)),
        finishResponse,
      );
    };
  }
  if (handler.scheduled) {
    const scheduled = handler.scheduled;
    wrapped.scheduled = (controller, env, ctx) =>
      traceInvocation(
        telemetryFor(env),
        { name: `scheduled ${controller.cron}`, kind: SpanKind.INTERNAL, attributes: { "faas.trigger": "timer", "faas.cron": controller.cron }, parent: ROOT_CONTEXT, waitUntil: waitUntilOf(ctx) },
        (scope) => scheduled.call(handler, controller, env, trackedContext(ctx, scope.waitUntil)),
      );
  }
  if (handler.queue) {
    const queue = handler.queue;
    wrapped.queue = (batch, env, ctx) =>
      traceInvocation(
        telemetryFor(env),
        {
          name: `queue ${batch.queue}`,
          kind: SpanKind.CONSUMER,
          attributes: { "faas.trigger": "pubsub", "messaging.destination.name": batch.queue, "messaging.batch.message_count": batch.messages.length },
          parent: ROOT_CONTEXT,
          waitUntil: waitUntilOf(ctx),
        },
        (scope) => queue.call(handler, batch, env, trackedContext(ctx, scope.waitUntil)),
      );
  }
  return wrapped as H;
}
