import type { Logger } from "./logger.js";
import type { Instruments } from "./options.js";
import { describeError } from "./describe-error.js";

/** One instrumentation a runtime offers; the runtime composes the list (src/integrations). */
export interface Instrumentor {
  instrument: Instruments;
  /** Key in `instrumentModules` and npm package name, for library patches (none for FETCH). */
  module?: { key: string; packageName: string };
  /** Applies the patch (idempotent); `module` is the library's class or namespace. */
  install(module: unknown): boolean;
}

/** Enabled: listed in `instruments` (or it is undefined: all) and not in `blockInstruments`. */
export function isInstrumentEnabled(instrument: Instruments, instruments?: Set<Instruments>, blocked?: Set<Instruments>): boolean {
  return (instruments === undefined || instruments.has(instrument)) && !blocked?.has(instrument);
}

/**
 * Installs every enabled instrumentor: with the module the user passed, else (Node) with one found
 * installed. An uninstalled library is skipped silently, as the SPEC says.
 */
export function installInstrumentations(
  instrumentors: readonly Instrumentor[],
  enabled: (instrument: Instruments) => boolean,
  passed: Record<string, unknown>,
  discover: ((packageName: string) => Promise<unknown>) | undefined,
  logger: Logger,
): void {
  const install = (instrumentor: Instrumentor, module: unknown) => {
    try {
      if (instrumentor.install(module)) logger.debug(`instrumented ${instrumentor.instrument}`);
    } catch (error) {
      logger.once(`instrument-${instrumentor.instrument}`, "WARNING", `could not instrument ${instrumentor.instrument}: ${describeError(error)}`);
    }
  };
  for (const instrumentor of instrumentors) {
    if (!enabled(instrumentor.instrument)) continue;
    if (!instrumentor.module) {
      install(instrumentor, undefined);
      continue;
    }
    const given = passed[instrumentor.module.key];
    if (given) install(instrumentor, given);
    else discover?.(instrumentor.module.packageName).then((found) => found && install(instrumentor, found), () => undefined);
  }
}
