/**
 * Next.js / Vercel edge entry: `globalThis.AsyncLocalStorage` (the edge runtime provides it),
 * env from `process.env` (inlined by Next), delivery through `waitUntil` / `after`.
 * @example
 * export const runtime = "edge";
 * const telemetry = new RespanTelemetry({ appName: "chat" });
 */
import { AlsContextManager, type AsyncLocalStorageClass } from "../context/als.js";
import { StackContextManager } from "../context/stack.js";
import { createRespanSpanProcessorFor } from "../core/create-processor.js";
import { RespanSpanExporterCore, type RespanSpanExporterOptions } from "../core/respan-span-exporter.js";
import type { RespanOptions } from "../core/options.js";
import type { Platform } from "../core/platform.js";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { RespanTelemetryCore } from "../core/telemetry.js";
import { createFetchTransport } from "../transport/fetch.js";
import { originalFetch } from "../integrations/fetch.js";
import { fetchInstrumentor } from "../integrations/instrumentors.js";

export * from "../core/index.js";

const edgeGlobals = globalThis as unknown as { AsyncLocalStorage?: AsyncLocalStorageClass; process?: { env?: Record<string, unknown> } };

const platform: Platform = {
  name: "edge-light",
  instrumentors: [fetchInstrumentor(() => [])],
  readEnv: () => edgeGlobals.process?.env ?? {},
  createContextManager(logger) {
    if (edgeGlobals.AsyncLocalStorage) return new AlsContextManager(edgeGlobals.AsyncLocalStorage);
    logger.once("no-als", "WARNING", "globalThis.AsyncLocalStorage is missing in this edge runtime: pass context explicitly.");
    return new StackContextManager();
  },
  createTracerProvider: (config) => new BasicTracerProvider(config),
  createTransport: () => createFetchTransport({ fetch: originalFetch() }),
  installFlushTriggers: () => () => undefined,
};

/** The SDK's entry point (edge build); see RespanTelemetryCore for every method. */
export class RespanTelemetry extends RespanTelemetryCore {
  constructor(options: RespanOptions = {}) {
    super(options, platform);
  }
}

/** Respan export for someone else's tracer provider (e.g. `@vercel/otel`'s registerOTel). */
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
