/**
 * `respan-tracing/workers`: instrument a Cloudflare Worker's handlers, its Durable Objects and its
 * WorkerEntrypoints, and carry the trace through `env` bindings (DO stubs, service bindings, queue
 * producers). Each invocation's spans are exported through `ctx.waitUntil`.
 * @example
 * import { instrumentWorker } from "respan-tracing/workers";
 * export default instrumentWorker({ async fetch(request, env, ctx) { … } }, (env) => ({ appName: "my-worker" }));
 */
export { instrumentWorker, type WorkerHandler } from "./worker.js";
export { instrumentDurableObject } from "./durable-object.js";
export { instrumentWorkerEntrypoint } from "./entrypoint.js";
export { STREAM_PARTIAL_AFTER_MS, PARTIAL_ATTRIBUTE } from "./streamed-response.js";
export type { WorkerExecutionContext, WorkerOptions, WorkersOptions, WorkersTracingOptions } from "./shared.js";
