import type { Context, Span, SpanOptions, Tracer, TracerProvider } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { Logger } from "./logger.js";
import type { Instruments, RespanOptions } from "./options.js";
import type { SpanBuffer } from "./span-buffer.js";
import type { AsyncSlot } from "./platform.js";
import type { PendingLinks } from "./context-keys.js";

/** What the span kinds, the client and span buffers need from a telemetry instance. */
export interface TracingHost {
  readonly enabled: boolean;
  readonly traceContent: boolean;
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly tracerProvider: TracerProvider;
  /** The options the instance was constructed with. */
  readonly options: RespanOptions;
  /** Per-async-flow storage for links attached outside wrappers, where the runtime has one. */
  readonly linkSlot?: AsyncSlot<PendingLinks>;
  /** Whether `instruments` / `blockInstruments` let this instrumentation run. */
  isInstrumentEnabled(instrument: Instruments): boolean;
  /** Starts a span on this instance's tracer; a root span inside a SpanBuffer gets the buffer's trace id. */
  startSpan(name: string, options: SpanOptions, parent: Context): Span;
  /** Remembers the span's own `sampleRate`, checked when it ends. */
  setSampleRate(span: Span, rate: number): void;
  /** Sends spans through this instance's processors, as if they had just ended. */
  processSpans(spans: readonly ReadableSpan[]): Promise<boolean>;
  flush(): Promise<void>;
  createSpanBuffer(traceId: string, options?: { parentTraceId?: string; parentSpanId?: string }): SpanBuffer;
}

// Versioned: the entries' shape changed in 0.2, and another copy of the package may share globalThis.
const REGISTRY = Symbol.for("respan-tracing.instances/2");

export type RegisteredHost = TracingHost & {
  readonly isShutdown: boolean;
  /** The bounded flush run when the process exits or the page is left. */
  flushBeforeExit(): Promise<void>;
};

/** The newest instance is held strongly (an unassigned `new RespanTelemetry()` must keep working). */
interface Entry {
  strong?: RegisteredHost;
  weak?: WeakRef<RegisteredHost>;
}

interface Registry {
  /** Oldest first. */
  entries: Entry[];
}

/**
 * The instances in construction order. Kept on globalThis so that the ESM and the CJS build,
 * if an app happens to load both, agree on which instance is current. Older instances are held
 * weakly: constructing one per request or per hot reload must not keep every one alive.
 */
function registry(): Registry {
  const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
  return (holder[REGISTRY] ??= { entries: [] });
}

function deref(entry: Entry): RegisteredHost | undefined {
  return entry.strong ?? entry.weak?.deref();
}

export function registerInstance(host: RegisteredHost): TracingHost | undefined {
  const previous = activeHost();
  const reg = registry();
  for (const entry of reg.entries) {
    // Where WeakRef is missing (no target runtime, but be safe) older instances stay strong.
    if (entry.strong && typeof WeakRef === "function") entry.weak = new WeakRef(entry.strong);
    if (entry.weak) entry.strong = undefined;
  }
  reg.entries = reg.entries.filter((entry) => {
    const live = deref(entry);
    return live !== undefined && !live.isShutdown;
  });
  reg.entries.push({ strong: host });
  return previous;
}

export function unregisterInstance(host: TracingHost): void {
  const reg = registry();
  reg.entries = reg.entries.filter((entry) => {
    const live = deref(entry);
    return live !== undefined && live !== host;
  });
  // The newest remaining instance is current again: hold it strongly.
  const newest = reg.entries[reg.entries.length - 1];
  if (newest && !newest.strong) newest.strong = deref(newest);
}

/** The most recently constructed instance that has not been shut down. */
export function activeHost(): TracingHost | undefined {
  const list = registry().entries;
  for (let i = list.length - 1; i >= 0; i--) {
    const host = deref(list[i]!);
    if (host && !host.isShutdown) return host;
  }
  return undefined;
}

/** Every instance still alive and not shut down (what an exit flush must flush). */
export function liveHosts(): RegisteredHost[] {
  return registry()
    .entries.map(deref)
    .filter((host): host is RegisteredHost => host !== undefined && !host.isShutdown);
}
