/**
 * Deno entry: AsyncLocalStorage from `node:async_hooks`, env from `Deno.env` when permitted,
 * flush when the event loop empties (`beforeunload`) and on `unload`.
 * @example
 * import { RespanTelemetry } from "respan-tracing"; // resolves here through the "deno" condition
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { AlsContextManager } from "../context/als.js";
import { createRespanSpanProcessorFor } from "../core/create-processor.js";
import type { RespanOptions } from "../core/options.js";
import type { Platform } from "../core/platform.js";
import { RespanTelemetryCore } from "../core/telemetry.js";
import { createFetchTransport } from "../transport/fetch.js";

export * from "../core/index.js";

declare const Deno: { env: { get(name: string): string | undefined } };

const ENV_NAMES = ["RESPAN_API_KEY", "RESPAN_BASE_URL", "RESPAN_LOG_LEVEL", "RESPAN_BATCHING_ENABLED"];

/** Reads only our variables, one by one: without --allow-env each read throws, which is not an error. */
function readDenoEnv(): Record<string, unknown> {
  const env: Record<string, unknown> = {};
  for (const name of ENV_NAMES) {
    try {
      const value = Deno.env.get(name);
      if (value !== undefined) env[name] = value;
    } catch {
      return {};
    }
  }
  return env;
}

const platform: Platform = {
  name: "deno",
  isBrowser: false,
  readEnv: readDenoEnv,
  createContextManager: () => new AlsContextManager(AsyncLocalStorage),
  createTransport: () => createFetchTransport({ fetch: globalThis.fetch.bind(globalThis) }),
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
