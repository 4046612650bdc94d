import type { ContextManager } from "@opentelemetry/api";
import type { BasicTracerProvider, TracerConfig } from "@opentelemetry/sdk-trace-base";
import type { Instrumentor } from "./instrumentation.js";
import type { Logger } from "./logger.js";
import type { FitBodies, Transport } from "./transport.js";
import type { PendingLinks } from "./context-keys.js";
import type { QueueBounds } from "./queueing-processor.js";

/**
 * What a runtime entry (src/runtime/*.ts) gives the core: where the environment comes from, how
 * context is carried, how bytes leave, and what tells it to flush. Everything else is shared.
 */
/** A value that follows the current async flow from where it is set on (Node/Deno `enterWith`). */
export interface AsyncSlot<T> {
  get(): T | undefined;
  enter(value: T): void;
}

export interface Platform {
  /** "node", "deno", "workerd", "edge-light" or "browser". */
  readonly name: string;
  /**
   * Set where code runs in a visitor's browser, so an API key must not be used: the error that
   * refuses one (see key-guard.ts). The text lives in the browser entry, out of other bundles.
   */
  readonly browserKeyRefusal?: string;
  /** RESPAN_* variables from the runtime's environment; `{}` where there is none. */
  readEnv(): Record<string, unknown>;
  /** A context manager to register globally when no one else has registered one. */
  createContextManager(logger: Logger): ContextManager | undefined;
  /**
   * Where links attached outside any wrapper or request are kept, per async flow, so concurrent
   * requests of a plain server never share them (SPEC §11 Isolation). Absent: keyed by context.
   */
  readonly linkSlot?: AsyncSlot<PendingLinks>;
  /**
   * The OpenTelemetry provider. Node, Deno and edge: sdk-trace-base's BasicTracerProvider, which
   * also applies OTEL_* variables (sampler, span limits). Browser and Workers: sdk-trace's
   * TracerProvider, the same defaults without the env parsing and sampler factory (~1.4 KiB
   * min+gzip) that their bundles cannot use: @opentelemetry/core's browser build reads no env.
   */
  createTracerProvider(config: TracerConfig): BasicTracerProvider;
  /** The transport for the Respan exporter, made from primitives captured now. */
  createTransport(): Transport;
  /** Where the transport has a body quota (browsers: keepalive/beacon): fits spans into bodies under it. */
  readonly fitBodies?: FitBodies;
  /** How much each export queue may hold and send at once; default QUEUE_BOUNDS (small: browsers, Workers). */
  readonly queueBounds?: QueueBounds;
  /** Instrumentations this runtime offers (LLM clients, fetch). */
  readonly instrumentors?: readonly Instrumentor[];
  /** Finds an installed library by package name (Node); resolves undefined when it is absent. */
  discoverModule?(packageName: string): Promise<unknown>;
  /**
   * Runs the OpenTelemetry SDK's construction, which reads OTEL_* variables; Deno uses it to
   * hide an environment it may not read (a denied permission would otherwise throw).
   */
  guardEnvironment?<T>(construct: () => T): T;
  /**
   * Hooks the runtime's "about to exit / page going away" signals to `flushNow`, which sends
   * everything queued at once (not behind a request already in flight); returns an undo function.
   */
  installFlushTriggers(flushNow: () => Promise<void>): () => void;
  /**
   * True where the flush triggers mean the process is ending (Node, Deno): exports still unanswered
   * at the exit-flush deadline are then aborted so the process can end. A browser tab that is only
   * hidden lives on, so its exports are left to finish.
   */
  readonly abortsAtExitDeadline?: boolean;
}
