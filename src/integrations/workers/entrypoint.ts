/**
 * instrumentWorkerEntrypoint: every RPC method (and `fetch`, `scheduled`, `queue`) of a
 * `WorkerEntrypoint` class gets a span, joined to an instrumented caller's trace (carrier.ts), and
 * delivered through `this.ctx.waitUntil`.
 * @example
 * import { WorkerEntrypoint } from "cloudflare:workers";
 * class BillingBase extends WorkerEntrypoint { async charge(userId, cents) { … } }
 * export const Billing = instrumentWorkerEntrypoint(BillingBase, (env) => ({ appName: "billing" }));
 */
import { instrumentClass, type AnyClass } from "./class-tracing.js";
import type { WorkerOptions } from "./shared.js";

export function instrumentWorkerEntrypoint<C extends AnyClass, Env = unknown>(EntrypointClass: C, options: WorkerOptions<Env> = {}): C {
  const className = EntrypointClass.name || "WorkerEntrypoint";
  return instrumentClass(EntrypointClass, options, {
    instanceAttributes: () => ({ "cloudflare.entrypoint.class": className }),
    lifecycle: {},
  });
}
