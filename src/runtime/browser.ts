/**
 * Browser entry: context by explicit passing (or Zone via `respan-tracing/zone`), export with
 * `fetch` keepalive to a same-origin relay (`exportUrl`), flush when the page is hidden or left.
 * An `apiKey` is refused unless `dangerouslyAllowBrowser: true`.
 * @example
 * const telemetry = new RespanTelemetry({ appName: "chat-widget", exportUrl: "/api/respan-traces" });
 */
import { StackContextManager } from "../context/stack.js";
import { createRespanSpanProcessorFor } from "../core/create-processor.js";
import type { RespanOptions } from "../core/options.js";
import type { Platform } from "../core/platform.js";
import { RespanTelemetryCore } from "../core/telemetry.js";
import { createFetchTransport } from "../transport/fetch.js";

export * from "../core/index.js";

const platform: Platform = {
  name: "browser",
  isBrowser: true,
  readEnv: () => ({}),
  createContextManager: () => new StackContextManager(),
  createTransport: () => createFetchTransport({ fetch: globalThis.fetch.bind(globalThis), keepalive: true }),
  installFlushTriggers(flush) {
    const onPageHide = () => void flush();
    const onVisibility = () => {
      if (document.visibilityState === "hidden") void flush();
    };
    addEventListener("pagehide", onPageHide);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      removeEventListener("pagehide", onPageHide);
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
