/**
 * The `env` an instrumented Worker, Durable Object or entrypoint hands its user code: the same
 * bindings, except that calls through DO namespaces / stubs, service bindings and queue producers
 * each get a CLIENT (or PRODUCER) span and carry the caller's trace (see carrier.ts for how, and
 * why an uninstrumented callee never sees it). Every other binding and property is the original.
 */
import { SpanKind, context, trace, type Attributes, type Span } from "@opentelemetry/api";
import type { TracingHost } from "../../core/host.js";
import { endWhenSettled } from "../../core/settle-span.js";
import { RPC_CARRIER_METHOD, RPC_CARRIER_VERSION, RPC_PROBE, injectCarrier, requestWithCarrier, wrapQueueBody } from "./carrier.js";
import { pipelined } from "./pipelined.js";

/** Kinds of binding told apart by their runtime class (workerd names them; stubs answer any other name). */
type BindingKind = "namespace" | "stub" | "service" | "queue";

function bindingKind(value: unknown): BindingKind | undefined {
  if (!value || (typeof value !== "object" && typeof value !== "function")) return undefined;
  // The prototype's constructor is a native property: reading it never becomes an RPC call.
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
  if (name === "DurableObjectNamespace") return "namespace";
  if (name === "DurableObject") return "stub";
  if (name === "Fetcher") return "service";
  if (name === "WorkerQueue") return "queue";
  return undefined;
}

/** Content types whose body can be nested in an object and come back identical (text/bytes cannot). */
const WRAPPABLE_CONTENT_TYPES = new Set([undefined, "json", "v8"]);

/**
 * Native stub members that are not RPC methods (workerd: Fetcher.prototype has fetch and connect;
 * a stub answers every other name with an RPC method, so no other name is treated as native).
 */
const STUB_NATIVE = new Set(["connect", "then", "constructor"]);

export class BindingTracer {
  /** Per binding name: whether its callee has the hidden carrier method (the probe's answer). */
  private readonly rpcCapability = new Map<string, Promise<boolean>>();
  private readonly wrappedEnvs = new WeakMap<object, object>();

  constructor(
    private readonly host: () => TracingHost | undefined,
    private readonly tracedQueues: readonly string[] = [],
  ) {}

  /** The env with its DO, service and queue bindings traced; the same proxy for the same env. */
  env<Env>(env: Env): Env {
    if (!env || typeof env !== "object") return env;
    const known = this.wrappedEnvs.get(env);
    if (known) return known as Env;
    const cache = new Map<PropertyKey, unknown>();
    const proxy = tracedProxy(env, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        // A frozen env's bindings are read-only and non-configurable: a Proxy must answer them as they are.
        if (typeof property !== "string" || isFixed(target, property)) return value;
        const cached = cache.get(property);
        if (cached && cache.get(`raw:${property}`) === value) return cached;
        const wrapped = this.wrap(value, property);
        if (wrapped !== value) cache.set(property, wrapped).set(`raw:${property}`, value);
        return wrapped;
      },
    });
    this.wrappedEnvs.set(env, proxy);
    return proxy;
  }

  private wrap(value: unknown, binding: string): unknown {
    switch (bindingKind(value)) {
      case "namespace":
        return this.namespace(value as object, binding);
      case "stub":
      case "service":
        return this.stub(value as object, binding);
      case "queue":
        return this.queue(value as object, binding);
      default:
        return value;
    }
  }

  private namespace(target: object, binding: string): object {
    return tracedProxy(target, {
      get: (t, property) => {
        const value = Reflect.get(t, property, t) as unknown;
        if (typeof value !== "function") return value;
        if (property === "get" || property === "getByName") return (...args: unknown[]) => this.stub(Reflect.apply(value, t, args) as object, binding);
        if (property === "jurisdiction") return (...args: unknown[]) => this.namespace(Reflect.apply(value, t, args) as object, binding);
        return value.bind(t);
      },
    });
  }

  private stub(target: object, binding: string): object {
    return tracedProxy(target, {
      get: (t, property) => {
        if (property === "fetch") return (input: RequestInfo | URL, init?: RequestInit) => this.fetch(t, binding, input, init);
        const value = Reflect.get(t, property, t) as unknown;
        // Native members (connect, Symbol.dispose for `using`, and what every object inherits:
        // `${stub}` calls toString, which must not become an RPC call) need their own `this`.
        const inherited = value === Reflect.get(Object.prototype, property);
        if (typeof property === "symbol" || STUB_NATIVE.has(property) || inherited) return typeof value === "function" ? value.bind(t) : value;
        // Data properties (a DO stub's id and name) as they are; any other name is an RPC method or a remote property.
        if (typeof value !== "function") return value;
        return remoteMember(value, (...args: unknown[]) => this.rpc(t, binding, property, args));
      },
    });
  }

  private startSpan(name: string, kind: SpanKind, attributes: Attributes): { span: Span | undefined; ctx: ReturnType<typeof context.active> } {
    const host = this.host();
    const active = context.active();
    if (!host) return { span: undefined, ctx: active };
    const span = host.startSpan(name, { kind, attributes }, active);
    return { span, ctx: trace.setSpan(active, span) };
  }

  private fetch(target: object, binding: string, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const fetcher = target as { fetch(request: Request): Promise<Response> };
    let request: Request;
    try {
      request = new Request(input as RequestInfo, init);
    } catch {
      return fetcher.fetch.call(target, ...([input, init] as unknown as [Request]));
    }
    const url = new URL(request.url);
    const { span, ctx } = this.startSpan(`${request.method} ${binding}`, SpanKind.CLIENT, {
      "http.request.method": request.method,
      "url.full": `${url.origin}${url.pathname}`,
      "cloudflare.binding": binding,
    });
    const sent = span ? requestWithCarrier(request, undefined, ctx) : request;
    return endWhenSettled(span, fetcher.fetch.call(target, sent), (response) => {
      span?.setAttribute("http.response.status_code", response.status);
    });
  }

  private rpc(target: object, binding: string, method: string, sentArgs: unknown[]): unknown {
    const stub = target as Record<string, (...a: unknown[]) => Promise<unknown>>;
    // A traced binding passed on (`env.SVC.use(env.ROOM.getByName("a"))`) goes as the binding itself.
    const args = sentArgs.map(nativeOf);
    const { span, ctx } = this.startSpan(`${binding}.${method}`, SpanKind.CLIENT, {
      "rpc.system": "cloudflare_rpc",
      "rpc.service": binding,
      "rpc.method": method,
    });
    if (!span) return stub[method]!(...args);
    const call = async (): Promise<unknown> => {
      const probed = this.carriesTrace(stub, binding);
      if (!(await probed)) return await stub[method]!(...args);
      try {
        return await stub[RPC_CARRIER_METHOD]!(injectCarrier(ctx), method, args);
      } catch (error) {
        // The callee may have been redeployed without instrumentation while this isolate lived on:
        // workerd then refuses the carrier method (a TypeError) without running anything. Probe
        // again (once for all calls that saw the old answer); a callee without it gets the plain call.
        if (!(error instanceof TypeError)) throw error;
        if (this.rpcCapability.get(binding) === probed) this.rpcCapability.delete(binding);
        if (await this.carriesTrace(stub, binding)) throw error;
        return await stub[method]!(...args);
      }
    };
    return pipelined(endWhenSettled(span, context.with(ctx, call)));
  }

  /** Whether this binding's callee is instrumented: probed once per binding (see carrier.ts). */
  private carriesTrace(stub: Record<string, (...a: unknown[]) => Promise<unknown>>, binding: string): Promise<boolean> {
    let known = this.rpcCapability.get(binding);
    if (!known) {
      known = Promise.resolve()
        .then(() => stub[RPC_CARRIER_METHOD]!(null, RPC_PROBE, []))
        .then(
          (answer) => answer === RPC_CARRIER_VERSION,
          (error: unknown) => {
            // A callee without the method answers with a TypeError: plain for the isolate. Any other
            // failure (its constructor threw, the network) says nothing: this call goes plain, the next probes again.
            if (!(error instanceof TypeError) && this.rpcCapability.get(binding) === known) this.rpcCapability.delete(binding);
            return false;
          },
        );
      this.rpcCapability.set(binding, known);
    }
    return known;
  }

  private queue(target: object, binding: string): object {
    const traced = this.tracedQueues.includes(binding);
    const producer = target as { send(body: unknown, options?: { contentType?: string }): Promise<unknown>; sendBatch(messages: Iterable<{ body: unknown; contentType?: string }>, options?: unknown): Promise<unknown> };
    const attributes = { "messaging.system": "cloudflare_queues", "messaging.destination.name": binding, "messaging.operation.type": "send" };
    return tracedProxy(target, {
      get: (t, property) => {
        if (property === "send")
          return (body: unknown, options?: { contentType?: string }) => {
            const { span, ctx } = this.startSpan(`send ${binding}`, SpanKind.PRODUCER, attributes);
            const wrap = span && traced && WRAPPABLE_CONTENT_TYPES.has(options?.contentType);
            span?.setAttribute("respan.queue.trace_carried", Boolean(wrap));
            const plain = () => producer.send.call(t, body, options);
            return endWhenSettled(span, wrap ? orPlain(span, () => producer.send.call(t, wrapQueueBody(body, injectCarrier(ctx)), options), plain) : plain());
          };
        if (property === "sendBatch")
          return (messages: Iterable<{ body: unknown; contentType?: string }>, options?: unknown) => {
            const list = [...messages];
            const { span, ctx } = this.startSpan(`send ${binding}`, SpanKind.PRODUCER, { ...attributes, "messaging.batch.message_count": list.length });
            const carrier = span && traced ? injectCarrier(ctx) : undefined;
            span?.setAttribute("respan.queue.trace_carried", Boolean(carrier));
            const plain = () => producer.sendBatch.call(t, list, options);
            if (!carrier) return endWhenSettled(span, plain());
            const sent = list.map((m) => (WRAPPABLE_CONTENT_TYPES.has(m.contentType) ? { ...m, body: wrapQueueBody(m.body, carrier) } : m));
            return endWhenSettled(span, orPlain(span, () => producer.sendBatch.call(t, sent, options), plain));
          };
        const value = Reflect.get(t, property, t) as unknown;
        return typeof value === "function" ? value.bind(t) : value;
      },
    });
  }
}

/** Each traced Proxy's own binding (or env): workerd can send a binding over RPC, not a Proxy of one. */
const natives = new WeakMap<object, object>();

function tracedProxy<T extends object>(target: T, handler: ProxyHandler<T>): T {
  const proxy = new Proxy(target, handler);
  natives.set(proxy, target);
  return proxy;
}

function nativeOf(value: unknown): unknown {
  return (value && typeof value === "object" && natives.get(value)) || value;
}

function isFixed(target: object, property: string): boolean {
  const own = Object.getOwnPropertyDescriptor(target, property);
  return own !== undefined && own.configurable === false && own.writable === false;
}

/**
 * A send with the envelope, and if the queue refuses it, the same send as the user made it: the
 * envelope's few hundred bytes can push a body just under the 128 KB message limit over it, and
 * tracing must not be why a send fails. A refused send enqueued nothing, so the message goes once
 * (an ambiguous network failure may enqueue it twice, as any retry of an at-least-once queue may).
 */
function orPlain<T>(span: Span | undefined, traced: () => Promise<T>, plain: () => Promise<T>): Promise<T> {
  return Promise.resolve()
    .then(traced)
    .catch(() => {
      span?.setAttribute("respan.queue.trace_carried", false);
      return plain();
    });
}

/**
 * A stub's member as workerd gives it (an RPC property: callable, awaitable, with members of its
 * own), except that calling it is the traced call. So `await stub.answer` still reads a remote
 * property and `stub.db.query()` still pipelines; only direct calls are traced.
 */
function remoteMember(native: unknown, call: (...args: unknown[]) => unknown): unknown {
  return new Proxy(call, {
    get: (_call, key) => {
      const value = Reflect.get(native as object, key, native) as unknown;
      return key === "then" && typeof value === "function" ? value.bind(native) : value;
    },
  });
}
