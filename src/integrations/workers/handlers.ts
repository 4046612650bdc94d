/**
 * One traced invocation per handler kind (fetch, scheduled, queue), shared by instrumentWorker and
 * by the classes (a WorkerEntrypoint may define the same handlers as methods).
 */
import { ROOT_CONTEXT, SpanKind, context, type Context } from "@opentelemetry/api";
import { contextFromHeaders, requestSpec, traceInvocation } from "../../core/invocation.js";
import type { TracingHost } from "../../core/host.js";
import type { RequestScope, WaitUntil } from "../../core/request-scope.js";
import { finishStreamingResponse } from "./streamed-response.js";
import { readCarriers, traceBatch, type QueueBatchLike } from "./queue-consumer.js";

export type Attrs = Record<string, string | number | boolean>;

export function traceFetch(
  host: TracingHost,
  request: Request,
  waitUntil: WaitUntil,
  run: (scope: RequestScope) => Promise<Response> | Response,
  extra: Attrs = {},
  partialAfterMs?: number,
): Promise<Response> {
  const { name, attributes } = requestSpec(request);
  let invocation: RequestScope | undefined;
  return traceInvocation(
    host,
    { name, attributes: { ...attributes, ...extra }, parent: contextFromHeaders(request.headers), waitUntil },
    (scope) => run((invocation = scope)),
    (response, span) => finishStreamingResponse(response, span, host, invocation, partialAfterMs),
  );
}

export function traceScheduled<R>(host: TracingHost, cron: string, waitUntil: WaitUntil, run: (scope: RequestScope) => Promise<R> | R): Promise<R> {
  return traceInvocation(
    host,
    { name: `scheduled ${cron}`, kind: SpanKind.INTERNAL, attributes: { "faas.trigger": "timer", "faas.cron": cron }, parent: ROOT_CONTEXT, waitUntil },
    run,
  );
}

/** The batch span (a child of the producing span when one request sent the whole batch), and one span per message. */
export function traceQueue<B extends QueueBatchLike, R>(host: TracingHost, batch: B, waitUntil: WaitUntil, run: (batch: B, scope: RequestScope) => Promise<R> | R): Promise<R> {
  const carriers = readCarriers(batch);
  return traceInvocation(
    host,
    {
      name: `queue ${batch.queue}`,
      kind: SpanKind.CONSUMER,
      attributes: { "faas.trigger": "pubsub", "messaging.destination.name": batch.queue, "messaging.batch.message_count": batch.messages.length },
      parent: carriers.parent ?? ROOT_CONTEXT,
      links: carriers.links,
      waitUntil,
    },
    async (scope) => {
      const traced = traceBatch(batch, carriers, host, context.active());
      try {
        const result = await run(traced.batch, scope);
        traced.finish("handler_returned");
        return result;
      } catch (error) {
        traced.finish("handler_failed");
        throw error;
      }
    },
  );
}

/** A traced invocation of a method called over RPC (or by the runtime: alarm, WebSocket events). */
export function traceCall<R>(host: TracingHost, name: string, kind: SpanKind, attributes: Attrs, parent: Context, waitUntil: WaitUntil, run: (scope: RequestScope) => Promise<R> | R): Promise<R> {
  return traceInvocation(host, { name, kind, attributes, parent, waitUntil }, run);
}
