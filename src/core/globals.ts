import { context, trace, type TracerProvider } from "@opentelemetry/api";
import type { Logger } from "./logger.js";
import type { Platform } from "./platform.js";

const STATE = Symbol.for("respan-tracing.globals");

interface GlobalsState {
  /** The global tracer provider, when it is one of ours (so a newer instance may take its place). */
  provider?: TracerProvider;
  /** True once we registered the global context manager. */
  contextManager?: boolean;
}

function state(): GlobalsState {
  const holder = globalThis as unknown as Record<symbol, GlobalsState | undefined>;
  return (holder[STATE] ??= {});
}

/**
 * Registers a context manager and our tracer provider as OpenTelemetry's globals, but never over
 * someone else's (Sentry, @vercel/otel, Deno's built-in OTel): our wrappers use our provider
 * directly, so they keep working either way. A previous instance of ours is replaced.
 */
export function claimGlobals(provider: TracerProvider, platform: Platform, logger: Logger): void {
  const current = state();
  if (!current.contextManager) {
    const manager = platform.createContextManager(logger);
    if (manager) {
      manager.enable();
      if (context.setGlobalContextManager(manager)) current.contextManager = true;
      else {
        manager.disable();
        logger.debug("a global context manager was already registered; using it");
      }
    }
  }
  if (current.provider) trace.disable();
  if (trace.setGlobalTracerProvider(provider)) current.provider = provider;
  else {
    current.provider = undefined;
    logger.info(
      "another OpenTelemetry tracer provider is registered globally; respan-tracing leaves it in place. " +
        "Its spans reach Respan only if you add createRespanSpanProcessor() to it.",
    );
  }
}

/** Gives up the global tracer provider if it is `provider`, handing it to `replacement` if any. */
export function releaseGlobals(provider: TracerProvider, replacement: TracerProvider | undefined): void {
  const current = state();
  if (current.provider !== provider) return;
  trace.disable();
  current.provider = undefined;
  if (replacement && trace.setGlobalTracerProvider(replacement)) current.provider = replacement;
}
