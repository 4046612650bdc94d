/**
 * Browser entry: context by explicit passing (or Zone via `respan-tracing/zone`), export with
 * `fetch` keepalive to a same-origin relay (`exportUrl`) in bodies under 60 KiB, and by
 * `navigator.sendBeacon` when the page is hidden or left. Also runs in Web Workers (no `document`,
 * no `window`, no `sendBeacon`): there it exports with `fetch` only, on the batch schedule and on
 * `flush()`. An `apiKey` is refused unless `dangerouslyAllowBrowser: true`.
 * @example
 * const telemetry = new RespanTelemetry({ appName: "chat-widget", exportUrl: "/api/respan-traces" });
 */
import { StackContextManager } from "../context/stack.js";
import { createRespanSpanProcessorFor } from "../core/create-processor.js";
import { RespanSpanExporterCore, type RespanSpanExporterOptions } from "../core/respan-span-exporter.js";
import type { RespanOptions } from "../core/options.js";
import type { Platform } from "../core/platform.js";
import { encodeInBodies } from "../core/fit-to-size.js";
import { TracerProvider } from "@opentelemetry/sdk-trace";
import { RespanTelemetryCore } from "../core/telemetry.js";
import { createBeaconTransport } from "../transport/beacon.js";
import { KEEPALIVE_BODY_LIMIT, createFetchTransport } from "../transport/fetch.js";
import { originalFetch } from "../integrations/fetch.js";
import { fetchInstrumentor } from "../integrations/instrumentors.js";

export * from "../core/index.js";

/** Set while the page is being hidden or left: exports then go by beacon. */
const page = { leaving: false };

/**
 * A page, as opposed to a Web Worker (dedicated, shared or service), which has neither `document`
 * nor a page lifecycle: `pagehide`/`visibilitychange` never fire there, and a worker that the page
 * terminates gets no event at all, so its only flush points are the batch schedule and `flush()`.
 */
const inPage = () => typeof document !== "undefined" && typeof document.addEventListener === "function";

const platform: Platform = {
  name: "browser",
  browserKeyRefusal:
    "respan-tracing: an apiKey in a browser would be readable by every visitor. Export to a same-origin relay " +
    "with { exportUrl: '/api/respan-traces' } (see createTraceRelay), or pass dangerouslyAllowBrowser: true.",
  readEnv: () => ({}),
  createContextManager: () => new StackContextManager(),
  fitBodies: (spans, encode) => encodeInBodies(spans, KEEPALIVE_BODY_LIMIT, encode),
  // A chat widget's own API calls carry its trace to the server route that answers them.
  instrumentors: [fetchInstrumentor(() => (typeof location === "undefined" ? [] : [location.origin]))],
  // Not BasicTracerProvider: its extra is OTEL_* env parsing, and a page has no env (Platform).
  createTracerProvider: (config) => new TracerProvider(config),
  createTransport() {
    const fallback = createFetchTransport({ fetch: originalFetch(), keepalive: true });
    if (typeof navigator === "undefined" || typeof navigator.sendBeacon !== "function") return fallback;
    return createBeaconTransport({ sendBeacon: navigator.sendBeacon.bind(navigator), fallback, isLeaving: () => page.leaving });
  },
  installFlushTriggers(flushNow) {
    if (!inPage()) return () => undefined;
    const leave = () => {
      page.leaving = true;
      void flushNow();
    };
    const onVisibility = () => {
      if (document.visibilityState === "hidden") leave();
      else page.leaving = false;
    };
    const onPageShow = () => (page.leaving = false);
    addEventListener("pagehide", leave);
    addEventListener("pageshow", onPageShow);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      removeEventListener("pagehide", leave);
      removeEventListener("pageshow", onPageShow);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  },
};

/** The SDK's entry point (browser build); see RespanTelemetryCore for every method. */
export class RespanTelemetry extends RespanTelemetryCore {
  constructor(options: RespanOptions = {}) {
    super(options, platform);
  }
}

/** Respan export for someone else's tracer provider (e.g. a WebTracerProvider). */
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
