/**
 * Deno entry: AsyncLocalStorage from `node:async_hooks`, env from `Deno.env` when permitted,
 * flush when the event loop empties (`beforeunload`) and on `unload`.
 * @example
 * import { RespanTelemetry } from "respan-tracing"; // resolves here through the "deno" condition
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { AlsContextManager } from "../context/als.js";
import { createRespanSpanProcessorFor } from "../core/create-processor.js";
import { RespanSpanExporterCore, type RespanSpanExporterOptions } from "../core/respan-span-exporter.js";
import type { RespanOptions } from "../core/options.js";
import type { Platform } from "../core/platform.js";
import type { PendingLinks } from "../core/context-keys.js";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { RespanTelemetryCore } from "../core/telemetry.js";
import { createFetchTransport } from "../transport/fetch.js";
import { originalFetch } from "../integrations/fetch.js";
import { fetchInstrumentor } from "../integrations/instrumentors.js";
import { openaiInstrumentor } from "../integrations/openai.js";
import { anthropicInstrumentor } from "../integrations/anthropic.js";

export * from "../core/index.js";

declare const Deno: {
  env: { get(name: string): string | undefined };
  permissions: { querySync?(descriptor: { name: "env" }): { state: string } };
};

const ENV_NAMES = ["RESPAN_API_KEY", "RESPAN_BASE_URL", "RESPAN_EXPORT_URL", "RESPAN_LOG_LEVEL", "RESPAN_BATCHING_ENABLED"];

/**
 * Reads only our variables, each on its own: a read that is not permitted throws, which is not an
 * error, and must not lose the others (`--allow-env=RESPAN_API_KEY` grants just that one).
 */
function readDenoEnv(): Record<string, unknown> {
  const env: Record<string, unknown> = {};
  for (const name of ENV_NAMES) {
    try {
      const value = Deno.env.get(name);
      if (value !== undefined) env[name] = value;
    } catch {
      // Not permitted: this variable stays unset.
    }
  }
  return env;
}

function mayReadEnv(): boolean {
  try {
    return Deno.permissions.querySync?.({ name: "env" }).state === "granted";
  } catch {
    return false;
  }
}

/** Without env permission, the SDK's OTEL_* look-ups would throw: let them see an empty env. */
function guardEnvironment<T>(construct: () => T): T {
  if (mayReadEnv()) return construct();
  const proc = (globalThis as unknown as { process?: { env: unknown } }).process;
  if (!proc) return construct();
  const original = proc.env;
  proc.env = {};
  try {
    return construct();
  } finally {
    proc.env = original;
  }
}

/** Links attached outside wrappers follow the async flow they were attached in (see Platform.linkSlot). */
const linkStorage = new AsyncLocalStorage<PendingLinks>();

const platform: Platform = {
  name: "deno",
  linkSlot: { get: () => linkStorage.getStore(), enter: (value) => linkStorage.enterWith(value) },
  abortsAtExitDeadline: true,
  guardEnvironment,
  instrumentors: [openaiInstrumentor, anthropicInstrumentor, fetchInstrumentor(() => [])],
  readEnv: readDenoEnv,
  createContextManager: () => new AlsContextManager(AsyncLocalStorage),
  createTracerProvider: (config) => new BasicTracerProvider(config),
  createTransport: () => createFetchTransport({ fetch: originalFetch() }),
  installFlushTriggers(flush) {
    // `beforeunload` fires when the event loop is empty and lets new work (the export) run.
    const onBeforeUnload = () => void flush();
    globalThis.addEventListener("beforeunload", onBeforeUnload);
    return () => globalThis.removeEventListener("beforeunload", onBeforeUnload);
  },
};

/** The SDK's entry point (Deno build); see RespanTelemetryCore for every method. */
export class RespanTelemetry extends RespanTelemetryCore {
  constructor(options: RespanOptions = {}) {
    super(options, platform);
  }
}

/** Respan export for someone else's tracer provider (e.g. Deno's built-in OpenTelemetry). */
export function createRespanSpanProcessor(options: RespanOptions = {}) {
  return createRespanSpanProcessorFor(options, platform);
}

/**
 * The Respan exporter as an OpenTelemetry SpanExporter, e.g. a second Respan destination:
 * `telemetry.addProcessor({ exporter: new RespanSpanExporter({ endpoint, apiKey }), name: "production" })`.
 */
export class RespanSpanExporter extends RespanSpanExporterCore {
  constructor(options: RespanSpanExporterOptions = {}) {
    super(options, platform);
  }
}
