/**
 * instrumentWorker: each `fetch`, `scheduled` and `queue` invocation of a Worker gets a root span
 * (an incoming `traceparent`, or a traced queue message's producer, is its parent), its `env`
 * bindings carry the trace (bindings.ts), and its spans are exported through `ctx.waitUntil`, after
 * the user's own waitUntil work, so none are lost after the response.
 */
import { BindingTracer } from "./bindings.js";
import { traceFetch, traceQueue, traceScheduled } from "./handlers.js";
import type { QueueBatchLike } from "./queue-consumer.js";
import { resolveOptions, telemetryFor, trackedContext, type WorkerExecutionContext, type WorkerOptions, type WorkersOptions } from "./shared.js";
import type { RespanTelemetry } from "../../runtime/workerd.js";

export interface WorkerHandler<Env = unknown> {
  fetch?(request: Request, env: Env, ctx: WorkerExecutionContext): Response | Promise<Response>;
  scheduled?(controller: { cron: string; scheduledTime: number }, env: Env, ctx: WorkerExecutionContext): void | Promise<void>;
  queue?(batch: QueueBatchLike, env: Env, ctx: WorkerExecutionContext): void | Promise<void>;
  [other: string]: unknown;
}

export function instrumentWorker<Env, H extends WorkerHandler<Env>>(handler: H, options: WorkerOptions<Env> = {}): H {
  let resolved: WorkersOptions | undefined;
  let telemetry: RespanTelemetry | undefined;
  let bindings: BindingTracer | undefined;
  // Made at the first invocation: that is when `env` is known.
  const setup = (env: Env) => {
    resolved ??= resolveOptions(options, env);
    telemetry = telemetryFor(resolved, env);
    bindings ??= new BindingTracer(() => telemetry, resolved.tracedQueues);
    return { telemetry, env: bindings.env(env), partialAfterMs: resolved.streamPartialAfterMs };
  };
  const waitUntilOf = (ctx: WorkerExecutionContext) => (promise: Promise<unknown>) => ctx.waitUntil(promise);
  // Inherits every handler we do not wrap (email, tail, …), including those a class instance
  // defines on its prototype, which a spread would drop.
  const wrapped = Object.create(handler) as WorkerHandler<Env>;
  // workerd looks for handlers and RPC methods (`env.SVC.echo(x)` on an object-style default export)
  // among own properties only: give each method, the handler's own included, one, bound to the handler.
  for (let proto: object | null = handler; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const value = (handler as Record<string, unknown>)[key];
      if (key !== "constructor" && typeof value === "function" && !Object.prototype.hasOwnProperty.call(wrapped, key)) wrapped[key] = value.bind(handler);
    }
  }

  if (handler.fetch) {
    const fetch = handler.fetch;
    wrapped.fetch = (request, env, ctx) => {
      const s = setup(env);
      return traceFetch(s.telemetry, request, waitUntilOf(ctx), (scope) => fetch.call(handler, request, s.env, trackedContext(ctx, scope.waitUntil)), {}, s.partialAfterMs);
    };
  }
  if (handler.scheduled) {
    const scheduled = handler.scheduled;
    wrapped.scheduled = (controller, env, ctx) => {
      const s = setup(env);
      return traceScheduled(s.telemetry, controller.cron, waitUntilOf(ctx), (scope) => scheduled.call(handler, controller, s.env, trackedContext(ctx, scope.waitUntil)));
    };
  }
  if (handler.queue) {
    const queue = handler.queue;
    wrapped.queue = (batch, env, ctx) => {
      const s = setup(env);
      return traceQueue(s.telemetry, batch, waitUntilOf(ctx), (traced, scope) => queue.call(handler, traced, s.env, trackedContext(ctx, scope.waitUntil)));
    };
  }
  return wrapped as H;
}
