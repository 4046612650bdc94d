import { MAX_STRING_CHARS, safeStringify } from "./safe-json.js";

/** Arguments beyond this many take the copying path (a long list is rarely all scalars anyway). */
const MAX_SCALAR_ARGUMENTS = 16;

/**
 * A call's captured input, `{"args":[...],"kwargs":{}}`. `args` must be the wrapper's own
 * rest-parameter array (fresh, a real array). When every argument is a scalar (the common case:
 * strings within MAX_STRING_CHARS, finite numbers, booleans, null, undefined), JSON.stringify runs
 * no user code and its work is bounded by their lengths, so nothing is copied first; the output is
 * safeStringify's byte for byte (property test). Anything else, or JSON over MAX_JSON_CHARS (long
 * strings full of escapes), takes the general path.
 */
export function stringifyArguments(args: unknown[]): string {
  return safeStringify({ args, kwargs: {} }, args.length <= MAX_SCALAR_ARGUMENTS && allBoundedScalars(args));
}

/** A plain loop, not `every`: a polluted Array.prototype.every must not let an object through. */
function allBoundedScalars(args: unknown[]): boolean {
  for (let i = 0; i < args.length; i++) if (!isBoundedScalar(args[i])) return false;
  return true;
}

/** null, undefined, a boolean, a string within MAX_STRING_CHARS or a finite number. */
const isBoundedScalar = (value: unknown): boolean =>
  value == null || typeof value === "boolean" || (typeof value === "string" ? value.length <= MAX_STRING_CHARS : Number.isFinite(value));
