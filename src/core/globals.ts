import { ProxyTracerProvider, context, trace, type Context, type ContextManager, type TracerProvider } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { Logger } from "./logger.js";
import type { Platform } from "./platform.js";

/**
 * The registry every copy of `@opentelemetry/api` 1.x shares (`registerGlobal` stores each API
 * there). Read-only here: it tells whether someone registered a global, which the API does not
 * expose. Sentry reads the same key (`@sentry/node` initOtel.js).
 */
const OTEL_API_REGISTRY = Symbol.for("opentelemetry.js.api.1");
const STATE = Symbol.for("respan-tracing.globals");

/** The API's unregistered fallback provider (`trace._proxyTracerProvider`, @opentelemetry/api 1.0–1.9). */
interface ApiProxy {
  getDelegate(): TracerProvider;
  setDelegate(delegate: TracerProvider | undefined): void;
}

interface GlobalsState {
  /** Our provider, while it is the delegate of the API's unregistered proxy. */
  provider?: TracerProvider;
  /** How to make our context manager, from the newest instance that claimed; unset once settled. */
  pendingContext?: { platform: Platform; logger: Logger };
  /** Our context manager, while it is the registered global one. */
  contextManager?: ContextManager;
}

function state(): GlobalsState {
  const holder = globalThis as unknown as Record<symbol, GlobalsState | undefined>;
  return (holder[STATE] ??= {});
}

/** What is registered globally under `api` ("trace", "context"), by any copy of the API. */
function registeredGlobal(api: "trace" | "context"): unknown {
  const registry = (globalThis as unknown as Record<symbol, Record<string, unknown> | undefined>)[OTEL_API_REGISTRY];
  return registry?.[api];
}

function apiProxy(): ApiProxy | undefined {
  // A private field, hence the checks: without it we simply do not offer our provider globally.
  const proxy = (trace as unknown as { _proxyTracerProvider?: Partial<ApiProxy> })._proxyTracerProvider;
  return proxy && typeof proxy.setDelegate === "function" && typeof proxy.getDelegate === "function" ? (proxy as ApiProxy) : undefined;
}

const NOOP_DELEGATE = new ProxyTracerProvider().getDelegate();

/**
 * Makes OpenTelemetry's globals usable by other libraries without ever taking them from another
 * tool (SPEC §11 Coexistence). The tracer provider is not registered: it becomes the delegate of
 * the API's unregistered fallback, so `trace.getTracer()` gives ours until someone registers
 * theirs — and their `setGlobalTracerProvider` then succeeds and wins. The context manager is
 * registered lazily, when our provider starts its first span (see `contextClaim`), so a tool set
 * up at startup (NodeSDK, @vercel/otel, Sentry's SentryContextManager) keeps its own; after that,
 * whichever manager is registered carries our context too. A previous instance of ours is replaced.
 */
export function claimGlobals(provider: TracerProvider, platform: Platform, logger: Logger): void {
  const current = state();
  if (!current.contextManager) current.pendingContext = { platform, logger };
  const proxy = apiProxy();
  if (!proxy) {
    logger.debug("this @opentelemetry/api has no fallback tracer provider; trace.getTracer() stays with whoever registers one");
    return;
  }
  const delegate = proxy.getDelegate();
  const ours = delegate === current.provider && current.provider !== undefined;
  if (registeredGlobal("trace") !== undefined || (delegate !== NOOP_DELEGATE && !ours)) {
    current.provider = undefined;
    logger.info(
      "another OpenTelemetry tracer provider is registered globally; respan-tracing leaves it in place. " +
        "Its spans reach Respan only if you add createRespanSpanProcessor() to it.",
    );
    return;
  }
  proxy.setDelegate(provider);
  current.provider = provider;
}

/** Registers our context manager if nobody has registered one yet; cheap once settled. */
export function ensureContextManager(): void {
  const current = state();
  const pending = current.pendingContext;
  if (!pending) return;
  current.pendingContext = undefined;
  if (registeredGlobal("context") !== undefined) {
    pending.logger.debug("a global context manager is already registered; respan-tracing uses it");
    return;
  }
  const manager = pending.platform.createContextManager(pending.logger);
  if (!manager) return;
  manager.enable();
  if (context.setGlobalContextManager(manager)) current.contextManager = manager;
  else manager.disable();
}

/**
 * A span processor that claims the context manager when our provider starts its first span:
 * before the wrapper (or Next.js, or a library using `trace.getTracer()`) enters `context.with`,
 * and after the app's startup code has had its chance to register another tool's manager.
 */
export const contextClaim: SpanProcessor = {
  onStart: (_span: Span, _parent: Context) => ensureContextManager(),
  onEnd: (_span: ReadableSpan) => undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

/**
 * Undoes what `claimGlobals` did for `provider`: the fallback delegate goes to `replacement` (the
 * instance of ours that is current again) or back to no-op; without a replacement our context
 * manager is unregistered too. Never touches what another tool registered.
 */
export function releaseGlobals(provider: TracerProvider, replacement: TracerProvider | undefined): void {
  const current = state();
  const proxy = apiProxy();
  if (current.provider === provider) {
    const stillOurs = proxy !== undefined && proxy.getDelegate() === provider;
    if (stillOurs) proxy.setDelegate(replacement);
    current.provider = stillOurs ? replacement : undefined;
  }
  if (replacement) return;
  current.pendingContext = undefined;
  const manager = current.contextManager;
  current.contextManager = undefined;
  // context.disable() unregisters whatever is registered: only call it while that is still ours.
  if (manager && registeredGlobal("context") === manager) context.disable();
}
