/**
 * What instrumentDurableObject and instrumentWorkerEntrypoint share: a SUBCLASS of the user's class
 * whose prototype re-defines each method with a traced one, plus the hidden carrier method (see
 * carrier.ts). A subclass, not a Proxy, because workerd exposes over RPC only methods found on the
 * class's prototype chain, and decides "this is a DurableObject / WorkerEntrypoint" from that chain;
 * a subclass keeps both (and `instanceof`, static members, the user's constructor) as they were.
 */
import { ROOT_CONTEXT, SpanKind, context, type Context } from "@opentelemetry/api";
import { getRequestScope, type WaitUntil } from "../../core/request-scope.js";
import { isThenable } from "../../core/entity-span.js";
import { claimFreeGlobals } from "../../core/globals.js";
import type { TracingHost } from "../../core/host.js";
import { BindingTracer } from "./bindings.js";
import { RPC_CARRIER_METHOD, RPC_CARRIER_VERSION, RPC_PROBE, extractCarrier, hasParent } from "./carrier.js";
import { traceCall, traceFetch, traceQueue, traceScheduled, type Attrs } from "./handlers.js";
import type { QueueBatchLike } from "./queue-consumer.js";
import { resolveOptions, telemetryFor, type WorkerOptions, type WorkersOptions } from "./shared.js";

export type AnyClass = abstract new (...args: any[]) => object;

/** How a method that the runtime (not a caller) invokes is traced. */
export interface LifecycleSpec {
  name: string;
  kind: SpanKind;
  attributes?: Attrs;
}

export interface ClassTracingSpec {
  /** Attributes every span of an instance gets (class name, DO id). */
  instanceAttributes(instance: object, ctx: unknown): Attrs;
  /** Methods the runtime calls with no caller to join (alarm, WebSocket events). */
  lifecycle: Record<string, LifecycleSpec>;
}

/** Members never traced: not RPC methods, or called by the runtime in ways a span would not help. */
const NOT_TRACED = new Set(["constructor", RPC_CARRIER_METHOD]);

interface InstanceState {
  ctx: { waitUntil?: WaitUntil } | undefined;
  host: TracingHost;
}

/** The method a plain RPC call of `name` would reach on `instance` (prototype chain, not Object.prototype). */
function rpcMethodOf(instance: object, name: string): ((...args: unknown[]) => unknown) | undefined {
  if (NOT_TRACED.has(name)) return undefined;
  for (let proto = Object.getPrototypeOf(instance) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor) return typeof descriptor.value === "function" ? (descriptor.value as (...args: unknown[]) => unknown) : undefined;
  }
  return undefined;
}

/**
 * Runs `call` through `trace` (which calls it at once) and hands back what `call` itself gave when
 * that was synchronous: a value or a throw, as without tracing. The traced promise then only ends the span.
 */
function keepSynchronous<R>(trace: (run: () => R) => Promise<R>, call: () => R): R | Promise<R> {
  let outcome: { value: R } | { error: unknown } | undefined;
  const traced = trace(() => {
    try {
      const value = call();
      if (!isThenable(value)) outcome = { value };
      return value;
    } catch (error) {
      outcome = { error };
      throw error;
    }
  });
  if (!outcome) return traced;
  traced.then(undefined, () => undefined);
  if ("error" in outcome) throw outcome.error;
  return outcome.value;
}

function methodNames(Base: AnyClass): string[] {
  const names = new Set<string>();
  for (let proto = Base.prototype as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      if (!NOT_TRACED.has(key) && typeof descriptor?.value === "function") names.add(key);
    }
  }
  return [...names];
}

export function instrumentClass<C extends AnyClass, Env>(Base: C, options: WorkerOptions<Env>, spec: ClassTracingSpec): C {
  const className = Base.name || "Anonymous";
  const states = new WeakMap<object, InstanceState>();
  let resolved: WorkersOptions | undefined;
  let bindings: BindingTracer | undefined;
  let host: TracingHost | undefined;

  // @ts-expect-error: a mixin-style subclass of an abstract constructor type.
  class Instrumented extends Base {
    constructor(...args: any[]) {
      const [ctx, env] = args as [InstanceState["ctx"], Env];
      resolved ??= resolveOptions(options, env);
      host = telemetryFor(resolved, env);
      bindings ??= new BindingTracer(() => host, resolved.tracedQueues);
      super(ctx, bindings.env(env), ...args.slice(2));
      states.set(this, { ctx, host });
    }
  }
  Object.defineProperty(Instrumented, "name", { value: className });

  const names = methodNames(Base);
  /** The traced methods this class defines: a method found on the instance but not here is a subclass's own. */
  const tracedMethods = new WeakSet<object>();
  const proto = Instrumented.prototype as Record<string, unknown>;

  /** One call of `original` as `name` on `instance`: a span of its own when it is an invocation (RPC or runtime). */
  const invoke = (instance: object, name: string, original: (...args: unknown[]) => unknown, args: unknown[]): unknown => {
    const state = states.get(instance);
    const active = context.active();
    // Called from inside an invocation of this isolate (this.helper()): no new invocation span.
    if (!state || getRequestScope(active)) return original.apply(instance, args);
    const waitUntil: WaitUntil = (promise) => state.ctx?.waitUntil?.call(state.ctx, promise);
    const attributes = { ...spec.instanceAttributes(instance, state.ctx), "code.function": name };
    const call = () => original.apply(instance, args) as never;
    if (name === "fetch") return traceFetch(state.host, args[0] as Request, waitUntil, call, attributes, resolved?.streamPartialAfterMs);
    if (name === "scheduled") return traceScheduled(state.host, String((args[0] as { cron?: string })?.cron ?? ""), waitUntil, call);
    if (name === "queue") return traceQueue(state.host, args[0] as QueueBatchLike, waitUntil, (batch) => original.apply(instance, [batch, ...args.slice(1)]) as never);
    const lifecycle = spec.lifecycle[name];
    if (lifecycle) return traceCall(state.host, lifecycle.name, lifecycle.kind, { ...attributes, ...lifecycle.attributes }, ROOT_CONTEXT, waitUntil, call);
    // An RPC method: the caller's trace when it came through the carrier method, else a new trace.
    // User code may call it too (a WebSocket listener calling this.method()): a method that returns
    // or throws synchronously still does so.
    const parent: Context = hasParent(active) ? active : ROOT_CONTEXT;
    const rpc = { ...attributes, "rpc.system": "cloudflare_rpc", "rpc.service": className, "rpc.method": name };
    return keepSynchronous((run) => traceCall(state.host, `${className}.${name}`, SpanKind.SERVER, rpc, parent, waitUntil, run), call);
  };

  for (const name of names) {
    const original = (Base.prototype as Record<string, (...args: unknown[]) => unknown>)[name]!;
    const traced = function (this: object, ...args: unknown[]): unknown {
      return invoke(this, name, original, args);
    };
    Object.defineProperty(traced, "name", { value: name });
    Object.defineProperty(proto, name, { value: traced, writable: true, configurable: true, enumerable: false });
    tracedMethods.add(traced);
  }

  // The carrier method: runs an RPC method with exactly the arguments sent, inside the caller's trace.
  Object.defineProperty(proto, RPC_CARRIER_METHOD, {
    value: function (this: Record<string, (...a: unknown[]) => unknown>, carrier: unknown, method: unknown, args: unknown): unknown {
      if (method === RPC_PROBE) return RPC_CARRIER_VERSION;
      // Whatever a plain RPC call may reach (a method on the prototype chain, a subclass's too) the
      // carrier method reaches, so going through it never turns a working call into a failing one.
      const target = typeof method === "string" && Array.isArray(args) ? rpcMethodOf(this, method) : undefined;
      if (!target) {
        // The same answer workerd gives for a method the class does not have.
        throw new TypeError(`The RPC receiver does not implement the method "${String(method)}".`);
      }
      // The context manager is claimed at the first span; this `with` comes before any span of the isolate.
      claimFreeGlobals();
      const name = method as string;
      return context.with(extractCarrier(carrier), () => (tracedMethods.has(target) ? target.apply(this, args as unknown[]) : invoke(this, name, target, args as unknown[])));
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return Instrumented as unknown as C;
}
