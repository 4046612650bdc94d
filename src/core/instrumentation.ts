import type { Logger } from "./logger.js";
import { Instruments } from "./options.js";
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
export function isInstrumentEnabled(instrument: Instruments, instruments?: InstrumentList, blocked?: InstrumentList): boolean {
  return (instruments === undefined || listed(instruments, instrument)) && !(blocked !== undefined && listed(blocked, instrument));
}

/**
 * Libraries that make OpenTelemetry spans of their own for the calls an instrument covers
 * (`@anthropic-ai/sdk`, scope `com.anthropic.sdk.typescript`). While the instrument is on, ours
 * suppress theirs; while it is off, theirs are dropped too, so that turning an instrument off means
 * no spans for those calls, as in the Python SDK.
 */
const NATIVE_SCOPE_PREFIXES: ReadonlyArray<readonly [string, Instruments]> = [["com.anthropic.sdk", Instruments.ANTHROPIC]];

/** Whether a span of this instrumentation scope is a library's own span for an instrument that is off. */
export function isNativeSpanOfDisabledInstrument(scopeName: string | undefined, enabled: (instrument: Instruments) => boolean): boolean {
  if (typeof scopeName !== "string") return false;
  const instrument = NATIVE_SCOPE_PREFIXES.find(([prefix]) => scopeName.startsWith(prefix))?.[1];
  return instrument !== undefined && !enabled(instrument);
}

/** `instruments` / `blockInstruments` as a Set (the Python SDK's shape) or an array (what plain JavaScript users write). */
export type InstrumentList = Set<Instruments> | readonly Instruments[];

function listed(list: InstrumentList, instrument: Instruments): boolean {
  return list instanceof Set ? list.has(instrument) : Array.isArray(list) && list.includes(instrument);
}

/** A clear error at construction for anything else (e.g. a string), instead of a TypeError later. */
export function checkInstrumentList(name: string, list: unknown): void {
  if (list === undefined || list instanceof Set || Array.isArray(list)) return;
  throw new TypeError(`${name} must be a Set or an array of Instruments, e.g. new Set([Instruments.OPENAI]); got ${typeof list}`);
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
