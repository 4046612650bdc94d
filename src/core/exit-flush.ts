import { liveHosts } from "./host.js";
import type { Platform } from "./platform.js";

/** Platforms whose exit/page-leave hooks are installed: one listener each, however many instances. */
const flushTriggersInstalled = new WeakSet<Platform>();

/** Hooks the platform's exit / page-leave signals once; each flushes every live instance (bounded). */
export function installFlushTriggersOnce(platform: Platform): void {
  if (flushTriggersInstalled.has(platform)) return;
  platform.installFlushTriggers(async () => {
    await Promise.all(liveHosts().map((host) => host.flushBeforeExit().catch(() => undefined)));
  });
  flushTriggersInstalled.add(platform);
}
