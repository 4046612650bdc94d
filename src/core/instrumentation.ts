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
 * Library patches kept out of the builds whose bundle size matters (browser, Workers, edge): each
 * `respan-tracing/openai` / `/anthropic` module registers its instrumentor here when it is
 * imported, so `instrumentModules` finds it; a page that never imports one never carries its
 * code. Node and Deno list theirs on the platform (Node also discovers installed libraries).
 */
const registered = new Map<string, ModuleInstrumentor>();

/** An instrumentor that patches a library (as opposed to FETCH). */
export type ModuleInstrumentor = Instrumentor & { module: NonNullable<Instrumentor["module"]> };

/** Called by a patch subpath at import: makes its library usable in `instrumentModules`. */
export function registerModuleInstrumentor(instrumentor: ModuleInstrumentor): void {
  if (!registered.has(instrumentor.module.key)) registered.set(instrumentor.module.key, instrumentor);
}

/**
 * `instrumentModules` keys whose patch a build may leave out until `respan-tracing/<key>` is
 * imported; each key is also its instrument's name.
 */
const PATCH_SUBPATHS: readonly Instruments[] = [Instruments.OPENAI, Instruments.ANTHROPIC];

/**
 * Installs every enabled instrumentor: with the module the user passed, else (Node) with one found
 * installed. An uninstalled library is skipped silently, as the SPEC says. A passed module whose
 * patch this build does not carry is looked up again once the current module graph has finished
 * loading (a microtask: the subpath may be imported by a module evaluated after the one that
 * constructs RespanTelemetry), then installed, or named in one warning saying what to import.
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
  const own = new Set(instrumentors.flatMap((instrumentor) => (instrumentor.module ? [instrumentor.module.key] : [])));
  const imported = [...registered.values()].filter((instrumentor) => !own.has(instrumentor.module.key));
  for (const instrumentor of [...imported, ...instrumentors]) {
    if (!enabled(instrumentor.instrument)) continue;
    if (!instrumentor.module) {
      install(instrumentor, undefined);
      continue;
    }
    const given = passed[instrumentor.module.key];
    if (given) install(instrumentor, given);
    else discover?.(instrumentor.module.packageName).then((found) => found && install(instrumentor, found), () => undefined);
  }
  for (const key of PATCH_SUBPATHS) {
    if (!passed[key] || !enabled(key) || own.has(key) || registered.has(key)) continue;
    void Promise.resolve().then(() => {
      const late = registered.get(key);
      if (late) return install(late, passed[key]);
      logger.once(
        `no-patch-${key}`,
        "WARNING",
        `instrumentModules.${key} is not traced: this build leaves the ${key} patch out of bundles that do not import it. ` +
          `Add \`import "respan-tracing/${key}";\` to the app.`,
      );
    });
  }
}
