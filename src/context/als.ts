import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import type { ContextManager } from "@opentelemetry/api";

/** Context that follows awaits, timers and callbacks, via Node's AsyncLocalStorage (OTel's own manager). */
export function createAlsContextManager(): ContextManager {
  return new AsyncLocalStorageContextManager();
}
