import { context } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import type { Instruments } from "../../core/options.js";
import { OUTER_CONTEXT_KEY, hostFor, traceLlmCall, type LlmCall } from "./llm-call.js";

const ORIGINAL = Symbol.for("respan-tracing.original");

type Method = ((...args: unknown[]) => unknown) & { [ORIGINAL]?: unknown };

/**
 * Replaces `prototype[method]` with a traced version, once (patching twice is a no-op). The traced
 * version asks at each call whether a RespanTelemetry with this instrument on is current, so
 * patches outlive instances harmlessly and `blockInstruments` takes effect at once.
 */
export function patchMethod(prototype: unknown, method: string, instrument: Instruments, describe: (params: Record<string, unknown>) => LlmCall): boolean {
  const target = prototype as Record<string, Method> | undefined;
  const original = target?.[method];
  if (typeof original !== "function") return false;
  if (original[ORIGINAL]) return true;
  const traced: Method = function (this: unknown, ...args: unknown[]) {
    const host = hostFor(instrument);
    if (!host) return original.apply(this, args);
    let call: LlmCall;
    try {
      call = describe((args[0] ?? {}) as Record<string, unknown>);
    } catch {
      return original.apply(this, args);
    }
    return traceLlmCall(host, call, () => original.apply(this, args));
  };
  traced[ORIGINAL] = original;
  target![method] = traced;
  return true;
}

/**
 * For SDK helpers that start spans of their own and then call a method we trace (Anthropic's
 * `messages.stream()`): the helper runs with tracing suppressed, so it adds no duplicate span,
 * while our span for the inner call still gets the caller's context as parent.
 */
export function patchHelper(prototype: unknown, method: string, instrument: Instruments): boolean {
  const target = prototype as Record<string, Method> | undefined;
  const original = target?.[method];
  if (typeof original !== "function") return false;
  if (original[ORIGINAL]) return true;
  const wrapped: Method = function (this: unknown, ...args: unknown[]) {
    if (!hostFor(instrument)) return original.apply(this, args);
    const outer = context.active();
    return context.with(suppressTracing(outer).setValue(OUTER_CONTEXT_KEY, outer), () => original.apply(this, args));
  };
  wrapped[ORIGINAL] = original;
  target![method] = wrapped;
  return true;
}

/** The class itself, whether given the class, its module namespace, or a CJS export object. */
export function resolveClass(module: unknown, named: string): Record<string, any> | undefined {
  const m = module as Record<string, any> | undefined;
  if (!m) return undefined;
  if (typeof m === "function") return m as unknown as Record<string, any>;
  return (m[named] ?? m.default) as Record<string, any> | undefined;
}
