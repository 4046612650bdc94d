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
import type { Logger } from "../core/logger.js";
import type { RespanOptions } from "../core/options.js";
import type { Platform } from "../core/platform.js";
import { RespanTelemetryCore } from "../core/telemetry.js";
import { createFetchTransport } from "../transport/fetch.js";

export * from "../core/index.js";

/** A static import of node:async_hooks would stop the Worker from loading without the flag. */
function loadAls(logger: Logger): Promise<ContextManager | undefined> {
  return import("node:async_hooks").then(
    (module: { AsyncLocalStorage?: unknown }) => (module.AsyncLocalStorage ? new AlsContextManager(module.AsyncLocalStorage as AsyncLocalStorageClass) : undefined),
    () => {
      logger.once(
        "no-als",
        "WARNING",
        "AsyncLocalStorage is unavailable: add the nodejs_als (or nodejs_compat) compatibility flag, or pass context " +
          "explicitly (client.currentContext() → { context } on each wrapper). Spans after an await are otherwise parentless.",
      );
      return undefined;
    },
  );
}

const platform: Platform = {
  name: "workerd",
  isBrowser: false,
  readEnv: () => ({}),
  createContextManager: (logger) => new UpgradableContextManager(new StackContextManager(), loadAls(logger)),
  createTransport: () => createFetchTransport({ fetch: globalThis.fetch.bind(globalThis) }),
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
