/**
 * Node.js entry: AsyncLocalStorage context, node:http export, flush on `beforeExit`.
 * @example
 * import { RespanTelemetry, withWorkflow } from "respan-tracing";
 * const telemetry = new RespanTelemetry({ appName: "my-app" });
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { createRespanSpanProcessorFor } from "../core/create-processor.js";
import { RespanSpanExporterCore, type RespanSpanExporterOptions } from "../core/respan-span-exporter.js";
import type { RespanOptions } from "../core/options.js";
import type { Platform } from "../core/platform.js";
import type { PendingLinks } from "../core/context-keys.js";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { RespanTelemetryCore } from "../core/telemetry.js";
import { createNodeHttpTransport } from "../transport/node-http.js";
import { fetchInstrumentor } from "../integrations/instrumentors.js";
import { openaiInstrumentor } from "../integrations/openai.js";
import { anthropicInstrumentor } from "../integrations/anthropic.js";

export * from "../core/index.js";

/**
 * A server keeps a burst rather than dropping it: up to 65,536 spans or 64 MiB of estimated export
 * size, whichever comes first. A 10,000-workflow burst (50,000 spans of ~0.8 KB) fits whole; a
 * queued small span holds ~1.75 KB of heap, so a full queue of them is ~115 MB (bench/RESULTS.md:
 * 117 MB under a 100,000-span outage), and large spans stop at the byte bound. Once a backlog
 * builds, four batches go out at once so the queue empties at the network's pace, not one
 * request's round trip at a time.
 */
const NODE_QUEUE_BOUNDS = { maxSpans: 65_536, maxBytes: 64 * 1024 * 1024, maxConcurrentExports: 4 };

/** Links attached outside wrappers follow the async flow they were attached in (see Platform.linkSlot). */
const linkStorage = new AsyncLocalStorage<PendingLinks>();

const platform: Platform = {
  name: "node",
  linkSlot: { get: () => linkStorage.getStore(), enter: (value) => linkStorage.enterWith(value) },
  abortsAtExitDeadline: true,
  queueBounds: NODE_QUEUE_BOUNDS,
  readEnv: () => process.env,
  // OTel's own manager: it also binds EventEmitters, which other instrumentations rely on.
  createContextManager: () => new AsyncLocalStorageContextManager(),
  instrumentors: [openaiInstrumentor, anthropicInstrumentor, fetchInstrumentor(() => [])],
  // Installed openai / @anthropic-ai/sdk are found without being passed, as the same module
  // instance the app gets: `require` in the CommonJS build (where it exists), `import` in ESM.
  discoverModule: (packageName) =>
    (typeof require === "function" ? Promise.resolve().then(() => require(packageName) as unknown) : import(packageName)).then(
      (module) => (module as { default?: unknown }).default ?? module,
      () => undefined,
    ),
  createTracerProvider: (config) => new BasicTracerProvider(config),
  createTransport: () => createNodeHttpTransport(),
  installFlushTriggers(flush) {
    // `beforeExit` fires when the event loop empties: the last chance to send queued spans.
    const onBeforeExit = () => void flush();
    process.on("beforeExit", onBeforeExit);
    return () => process.off("beforeExit", onBeforeExit);
  },
};

/** The SDK's entry point (Node build); see RespanTelemetryCore for every method. */
export class RespanTelemetry extends RespanTelemetryCore {
  constructor(options: RespanOptions = {}) {
    super(options, platform);
  }
}

/** Respan export for someone else's tracer provider, e.g. `registerOTel({ spanProcessors: [createRespanSpanProcessor()] })`. */
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
