import type { Context, Span, SpanOptions, Tracer, TracerProvider } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { Logger } from "./logger.js";
import type { Instruments, RespanOptions } from "./options.js";
import type { SpanBuffer } from "./span-buffer.js";

/** What the span kinds, the client and span buffers need from a telemetry instance. */
export interface TracingHost {
  readonly enabled: boolean;
  readonly traceContent: boolean;
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly tracerProvider: TracerProvider;
  /** The options the instance was constructed with. */
  readonly options: RespanOptions;
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

const REGISTRY = Symbol.for("respan-tracing.instances");

interface Registry {
  instances: Array<TracingHost & { readonly isShutdown: boolean }>;
}

/**
 * The instances in construction order. Kept on globalThis so that the ESM and the CJS build,
 * if an app happens to load both, agree on which instance is current.
 */
function registry(): Registry {
  const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
  return (holder[REGISTRY] ??= { instances: [] });
}

export function registerInstance(host: TracingHost & { readonly isShutdown: boolean }): TracingHost | undefined {
  const previous = activeHost();
  registry().instances.push(host);
  return previous;
}

export function unregisterInstance(host: TracingHost): void {
  const list = registry().instances;
  const index = list.indexOf(host as (typeof list)[number]);
  if (index >= 0) list.splice(index, 1);
}

/** The most recently constructed instance that has not been shut down. */
export function activeHost(): TracingHost | undefined {
  const list = registry().instances;
  for (let i = list.length - 1; i >= 0; i--) if (!list[i]!.isShutdown) return list[i];
  return undefined;
}
