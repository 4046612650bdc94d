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
  /** Our provider, while it is the delegate of the API's proxy. */
  provider?: TracerProvider;
  /** True while that proxy is the registered global (we registered it at our first span). */
  registeredProvider?: boolean;
  /** Set by the newest claim; taken by the first span, which then registers what is still free. */
  pending?: { platform: Platform; logger: Logger };
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
 * Makes our provider and context usable by other libraries without ever taking OpenTelemetry's
 * globals from another tool (SPEC §11 Coexistence). At construction nothing is registered: our
 * provider only becomes the delegate of the API's unregistered proxy, so `trace.getTracer()`
 * gives ours until a tool registers its own — whose `setGlobalTracerProvider` then succeeds and
 * wins. When our provider starts its first span, after the app's startup code (NodeSDK,
 * @vercel/otel, Sentry's SentryContextManager) had its chance, we register what is still free
 * (see `claimFreeGlobals`). A previous instance of ours is replaced.
 */
export function claimGlobals(provider: TracerProvider, platform: Platform, logger: Logger): void {
  const current = state();
  // The first instance still waiting for its first span speaks for the claim (as when globals were
  // claimed at construction): its warnings, e.g. "no AsyncLocalStorage", use its log level.
  current.pending ??= { platform, logger };
  const proxy = apiProxy();
  if (!proxy) {
    logger.debug("this @opentelemetry/api has no fallback tracer provider; trace.getTracer() stays with whoever registers one");
    return;
  }
  const registered = registeredGlobal("trace");
  const delegate = proxy.getDelegate();
  const ours = current.provider !== undefined && delegate === current.provider;
  if ((registered !== undefined && registered !== proxy) || (delegate !== NOOP_DELEGATE && !ours)) {
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

/**
 * Registers, at our first span, the globals nobody else has: the tracer provider (so a second
 * copy of @opentelemetry/api — Next.js loads its own — sees ours too) and the context manager
 * (so context flows through `context.with` at all). Cheap once done.
 */
export function claimFreeGlobals(): void {
  const current = state();
  const pending = current.pending;
  if (!pending) return;
  current.pending = undefined;
  const proxy = apiProxy();
  if (current.provider && proxy?.getDelegate() === current.provider && registeredGlobal("trace") === undefined) {
    current.registeredProvider = trace.setGlobalTracerProvider(current.provider);
  }
  const registered = registeredGlobal("context");
  if (registered !== undefined) {
    if (registered !== current.contextManager) pending.logger.debug("a global context manager is already registered; respan-tracing uses it");
    return;
  }
  const manager = pending.platform.createContextManager(pending.logger);
  if (!manager) return;
  manager.enable();
  if (context.setGlobalContextManager(manager)) current.contextManager = manager;
  else manager.disable();
}

/**
 * A span processor that claims the free globals when our provider starts its first span: before
 * the wrapper enters `context.with`, and after the app's startup code set up its other tools.
 */
export const globalsClaim: SpanProcessor = {
  onStart: (_span: Span, _parent: Context) => claimFreeGlobals(),
  onEnd: (_span: ReadableSpan) => undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

/**
 * Undoes what `claimGlobals` did for `provider`: the delegate goes to `replacement` (the instance
 * of ours that is current again); without one, what we registered is unregistered. Never touches
 * what another tool registered.
 */
export function releaseGlobals(provider: TracerProvider, replacement: TracerProvider | undefined): void {
  const current = state();
  const proxy = apiProxy();
  if (current.provider === provider) {
    const stillOurs = proxy !== undefined && proxy.getDelegate() === provider;
    current.provider = stillOurs && replacement ? replacement : undefined;
    if (stillOurs && replacement) proxy.setDelegate(replacement);
    else if (stillOurs && current.registeredProvider && registeredGlobal("trace") === proxy) trace.disable();
    else if (stillOurs) proxy.setDelegate(undefined);
    if (!current.provider) current.registeredProvider = false;
  }
  if (replacement) return;
  current.pending = undefined;
  const manager = current.contextManager;
  current.contextManager = undefined;
  // context.disable() unregisters whatever is registered: only call it while that is still ours.
  if (manager && registeredGlobal("context") === manager) context.disable();
}
