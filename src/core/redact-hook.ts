import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { RespanOptions } from "./options.js";

/**
 * The `redact` option as a function that rewrites a span's attributes in place. It throws when
 * the user's hook fails, so that callers drop the span instead of exporting it unredacted.
 */
export function redactHook(options: RespanOptions): ((span: ReadableSpan) => void) | undefined {
  const redact = options.redact;
  if (typeof redact !== "function") return undefined;
  // Throws when the hook fails: the router then drops the span rather than export it unredacted.
  return (span) => {
    const copy: Attributes = { ...span.attributes };
    const result: unknown = redact(copy, span);
    if (result !== null && typeof result === "object" && typeof (result as PromiseLike<unknown>).then === "function") {
      (result as Promise<unknown>).then(undefined, () => undefined);
      throw new TypeError("redact returned a Promise; it must return the attributes synchronously");
    }
    // A hook may return new attributes, or edit the ones it was given in place and return nothing.
    const next = (result !== null && typeof result === "object" ? result : copy) as Attributes;
    const attributes = span.attributes as Record<string, unknown>;
    for (const key of Object.keys(attributes)) if (!(key in next)) delete attributes[key];
    Object.assign(attributes, next);
  };
}
