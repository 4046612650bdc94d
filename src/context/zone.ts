/**
 * `respan-tracing/zone`: opt-in Zone.js context for browsers, so context follows callbacks,
 * timers and promises without explicit passing. Limit (Zone.js): native `async`/`await` is not
 * patched, so code compiled to ES2017+ loses context after an `await`; compile to ES2015 (or keep
 * explicit passing) where that matters.
 * @example
 * import "zone.js";
 * import { registerZoneContextManager } from "respan-tracing/zone";
 * registerZoneContextManager(); // before new RespanTelemetry(...)
 */
import { context } from "@opentelemetry/api";
import { ZoneContextManager } from "@opentelemetry/context-zone-peer-dep";

/** Registers OTel's ZoneContextManager globally; false if another manager was registered first. */
export function registerZoneContextManager(): boolean {
  const manager = new ZoneContextManager();
  manager.enable();
  if (context.setGlobalContextManager(manager)) return true;
  manager.disable();
  return false;
}
