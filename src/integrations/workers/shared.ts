/**
 * What every instrumented Worker piece shares: its options type, the one telemetry instance of the
 * isolate, and the execution context whose waitUntil is tracked by the request scope.
 */
import { describeError } from "../../core/describe-error.js";
import type { RespanOptions } from "../../core/options.js";
import { RespanTelemetry } from "../../runtime/workerd.js";

/** The parts of Cloudflare's ExecutionContext used here (no dependency on workers-types). */
export interface WorkerExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException?(): void;
}

/** What the bindings proxies add to RespanOptions. */
export interface WorkersTracingOptions {
  /**
   * Queue producer bindings (names in `env`) whose consumer is instrumented with instrumentWorker:
   * their messages carry the trace in an envelope the consumer removes. Any other queue gets the
   * body untouched (an uninstrumented consumer would see the envelope, so this is opt-in).
   */
  tracedQueues?: readonly string[];
  /**
   * How long a streamed response may stay open before its span is exported as partial (the final
   * span follows when the stream ends). Default STREAM_PARTIAL_AFTER_MS (20 s).
   */
  streamPartialAfterMs?: number;
}

export type WorkersOptions = RespanOptions & WorkersTracingOptions;
export type WorkerOptions<Env> = WorkersOptions | ((env: Env) => WorkersOptions);

/**
 * One telemetry instance per isolate, made at the first invocation (that is when `env` is known),
 * shared by the Worker, its Durable Objects and entrypoints in the same script: two instances
 * would each claim the global tracer. The first piece to run chooses the export options.
 */
let isolateTelemetry: RespanTelemetry | undefined;

export function resolveOptions<Env>(options: WorkerOptions<Env>, env: Env): WorkersOptions {
  try {
    return (typeof options === "function" ? options(env) : options) ?? {};
  } catch (error) {
    // Options that throw must not take the user's handler down; export falls back to defaults,
    // and the reason is said once per isolate (the options function runs once per isolate).
    console.warn(`[respan-tracing] the options function threw (${describeError(error)}); tracing with default options`);
    return {};
  }
}

export function telemetryFor<Env>(options: WorkersOptions, env: Env): RespanTelemetry {
  if (!isolateTelemetry || isolateTelemetry.isShutdown) {
    const { tracedQueues: _traced, streamPartialAfterMs: _partial, ...respanOptions } = options;
    try {
      isolateTelemetry = new RespanTelemetry({ env: env as Record<string, unknown>, ...respanOptions });
    } catch (error) {
      // Options the SDK rejects (a string where a list belongs) throw here, at the first
      // invocation: that must not fail it and every later one. As for options that throw.
      console.warn(`[respan-tracing] the options were rejected (${describeError(error)}); tracing with default options`);
      isolateTelemetry = new RespanTelemetry({ env: env as Record<string, unknown> });
    }
  }
  return isolateTelemetry;
}

/** A context whose waitUntil is tracked by the request scope; every other member is the real one. */
export function trackedContext<C extends object>(ctx: C, waitUntil: (promise: Promise<unknown>) => void): C {
  return new Proxy(ctx, {
    get(target, property) {
      if (property === "waitUntil") return waitUntil;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
