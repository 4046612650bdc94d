/**
 * Cloudflare Workers entry: AsyncLocalStorage when `nodejs_als` or `nodejs_compat` is on, else
 * explicit context passing (one warning); env from `options.env` (the Worker's binding); no timer
 * or I/O at construction, so `new RespanTelemetry()` is legal at global scope.
 * @example
 * const telemetry = new RespanTelemetry({ appName: "my-worker" });
 * export default { fetch: (req, env, ctx) => withWorkflow({ name: "handle" }, () => handle(req)) };
 */
import type { ContextManager } from "@opentelemetry/api";
import { AlsContextManager, type AsyncLocalStorageClass } from "../context/als.js";
import { StackContextManager } from "../context/stack.js";
import { UpgradableContextManager } from "../context/upgradable.js";
import { createRespanSpanProcessorFor } from "../core/create-processor.js";
import { RespanSpanExporterCore, type RespanSpanExporterOptions } from "../core/respan-span-exporter.js";
import type { Logger } from "../core/logger.js";
import type { RespanOptions } from "../core/options.js";
import type { Platform } from "../core/platform.js";
import { TracerProvider } from "@opentelemetry/sdk-trace";
import { RespanTelemetryCore } from "../core/telemetry.js";
import { createFetchTransport } from "../transport/fetch.js";
import { originalFetch } from "../integrations/fetch.js";
import { fetchInstrumentor } from "../integrations/instrumentors.js";

export * from "../core/index.js";

const NO_ALS_WARNING =
  "AsyncLocalStorage is unavailable: add the nodejs_als (or nodejs_compat) compatibility flag, or pass context " +
  "explicitly (client.currentContext() → { context } on each wrapper). Spans after an await are otherwise parentless.";

/**
 * A static import of node:async_hooks would stop the Worker from loading without the flag, so it
 * is imported dynamically, once, while the module loads (an import is neither I/O nor a timer).
 * `undefined` while pending, `null` when unavailable.
 */
let alsClass: AsyncLocalStorageClass | null | undefined;
const alsLoaded: Promise<AsyncLocalStorageClass | null> = import("node:async_hooks").then(
  (module: { AsyncLocalStorage?: unknown }) => (alsClass = (module.AsyncLocalStorage as AsyncLocalStorageClass | undefined) ?? null),
  () => (alsClass = null),
);

function createContextManager(logger: Logger): ContextManager {
  if (alsClass) return new AlsContextManager(alsClass);
  if (alsClass === null) {
    logger.once("no-als", "WARNING", NO_ALS_WARNING);
    return new StackContextManager();
  }
  // Constructed at global scope, before the import settled: upgrade as soon as it does.
  const upgrade = alsLoaded.then((Storage) => {
    if (Storage) return new AlsContextManager(Storage);
    logger.once("no-als", "WARNING", NO_ALS_WARNING);
    return undefined;
  });
  return new UpgradableContextManager(new StackContextManager(), upgrade);
}

const platform: Platform = {
  name: "workerd",
  instrumentors: [fetchInstrumentor(() => [])],
  readEnv: () => ({}),
  createContextManager,
  // Not BasicTracerProvider: its extra is OTEL_* env parsing; Workers take options.env (Platform).
  createTracerProvider: (config) => new TracerProvider(config),
  createTransport: () => createFetchTransport({ fetch: originalFetch() }),
  // Workers have no exit event: delivery rides on ctx.waitUntil (instrumentWorker / flush).
  installFlushTriggers: () => () => undefined,
};

/** The SDK's entry point (Workers build); see RespanTelemetryCore for every method. */
export class RespanTelemetry extends RespanTelemetryCore {
  constructor(options: RespanOptions = {}) {
    super(options, platform);
  }
}

/** Respan export for someone else's tracer provider. */
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
