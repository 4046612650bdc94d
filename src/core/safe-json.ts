import { describeError } from "./describe-error.js";
/**
 * JSON for span attributes that never throws: whatever a user's function takes or returns
 * (circular graphs, BigInt, functions, Maps, Errors, typed arrays, megabyte strings) becomes a
 * readable JSON string of bounded size.
 */

/**
 * Longest string kept whole inside a captured value. 32 KiB keeps a long prompt readable while a
 * span stays far below OTLP receivers' usual 4 MiB request limit.
 */
export const MAX_STRING_CHARS = 32 * 1024;
/** Upper bound of one serialised attribute (same reasoning: several fit in one export request). */
export const MAX_JSON_CHARS = 256 * 1024;
/** Deeper structures are summarised; real inputs rarely nest this far, cycles always do. */
const MAX_DEPTH = 32;
/** Arrays, Maps, Sets and objects longer than this keep their first items only. */
const MAX_ITEMS = 1000;
/**
 * Values visited in one call. Shared (non-circular) references are printed each time they occur,
 * so a graph of shared nodes would otherwise cost 2^depth; 20,000 visits take a few milliseconds
 * and already produce more than MAX_JSON_CHARS for any realistic value.
 */
const MAX_VISITED_VALUES = 20_000;
/** Printed in place of everything left unvisited once a budget ran out. */
export const BUDGET_MARKER = "[truncated: value too large]";

/**
 * What one serialisation may still spend: values visited and characters produced (estimated).
 * Walking stops once either runs out, so time and memory are bounded whatever the input.
 */
interface Budget {
  values: number;
  chars: number;
}

export function truncationMarker(omitted: number): string {
  return `…[truncated ${omitted} chars]`;
}

export function truncateString(value: string, limit = MAX_STRING_CHARS): string {
  if (value.length <= limit) return value;
  return value.slice(0, limit) + truncationMarker(value.length - limit);
}

/**
 * Captures in progress, one inside another: a getter can call a traced function that captures a
 * value holding that getter again, without end (untraced, the getter runs once). Each level may read
 * the getter twice (fast path, then general path), so n levels run it up to 2^n times: one nested
 * level still records what a getter's own traced call takes and returns.
 */
const MAX_NESTED_CAPTURES = 2;
export const NESTED_CAPTURE_MARKER = "[capture inside a capture]";
let nestedCaptures = 0;

/**
 * Serialises any value to JSON; never throws, always returns a string. `direct`: the caller
 * checked that `value` holds only scalars it built itself (stringifyArguments), so JSON.stringify
 * may write it without the copy that guards getters and Proxies.
 */
export function safeStringify(value: unknown, direct = false): string {
  if (nestedCaptures >= MAX_NESTED_CAPTURES) return JSON.stringify(NESTED_CAPTURE_MARKER);
  nestedCaptures++;
  try {
    const fast = direct ? directJson(value) : fastPath(value);
    // Over MAX_JSON_CHARS only through escapes: the general path writes it again within bounds.
    return fast !== undefined && fast.length <= MAX_JSON_CHARS ? fast : generalStringify(value);
  } catch (error) {
    return JSON.stringify(`[unserializable: ${describeError(error)}]`);
  } finally {
    nestedCaptures--;
  }
}

/**
 * JSON.stringify, or undefined when it fails: a polluted prototype (a `toJSON` on Object.prototype
 * or Array.prototype) still runs user code there, which may throw or answer what JSON cannot hold
 * (test/safe-json-arguments-polluted.test.ts); the general path then writes what it can.
 */
function directJson(value: unknown): string | undefined {
  try {
    const json: unknown = JSON.stringify(value);
    return typeof json === "string" ? json : undefined;
  } catch {
    return undefined;
  }
}

/** safeStringify without its fast path (exported for the test that they agree). */
export function generalStringify(value: unknown): string {
  return fittedStringify(value, MAX_JSON_CHARS, 0);
}

/**
 * The budget counts a string's characters, but JSON writes some as several (`"` and newline as 2,
 * control characters and lone surrogates as 6) and a key whole: the JSON can come out longer than
 * MAX_JSON_CHARS, and cutting it there leaves invalid JSON. It is written again with the budget cut
 * by what it overshot (a walk is bounded, so 3 more are too), then given up with a marker.
 */
const MAX_REWRITES = 3;

function fittedStringify(value: unknown, chars: number, rewrites: number): string {
  try {
    const budget: Budget = { values: MAX_VISITED_VALUES, chars };
    const json = JSON.stringify(toJsonable(value, new WeakSet(), 0, budget)) ?? "null";
    if (json.length <= MAX_JSON_CHARS) return json;
    if (rewrites >= MAX_REWRITES) return JSON.stringify(truncationMarker(json.length));
    return fittedStringify(value, Math.floor(((chars / json.length) * MAX_JSON_CHARS) / 2), rewrites + 1);
  } catch (error) {
    return JSON.stringify(`[unserializable: ${describeError(error)}]`);
  }
}

/**
 * The common case: plain data (strings within MAX_STRING_CHARS, finite numbers, booleans, null,
 * undefined, plain arrays and plain objects without `toJSON`/`then`, within MAX_DEPTH, MAX_ITEMS
 * and the same budget) is copied in one walk, then written by the native JSON.stringify: the copy
 * is what toJsonable would make of it, so the output is the general path's byte for byte (property
 * test), without its WeakSet, per-value checks for Errors, Maps and the like, or string building.
 * Anything else (cycles, class instances, long strings, a budget running out) takes the general
 * path. Each getter and Proxy trap runs once here, and JSON.stringify only sees the copy: a value
 * that answers differently the second time cannot make it write more than was checked.
 */
function fastPath(value: unknown): string | undefined {
  // The ancestor stack is shared between calls (no allocation per capture); a getter that
  // captures a value itself (re-entrant) pushes above `base` and everything is popped back below.
  const base = ANCESTORS.length;
  try {
    const copy = plainCopy(value, 0, base, { values: MAX_VISITED_VALUES, chars: MAX_JSON_CHARS });
    return copy === NOT_PLAIN ? undefined : JSON.stringify(copy);
  } catch {
    return undefined; // a throwing getter or Proxy trap: the general path reports it per value
  } finally {
    // Only after an early return or a throw: setting an array's length is a runtime call, not free.
    if (ANCESTORS.length !== base) ANCESTORS.length = base;
  }
}

/** Returned by plainCopy for anything it leaves to the general path. */
const NOT_PLAIN = Symbol("not plain");
const ANCESTORS: object[] = [];
const hasOwn = Object.prototype.hasOwnProperty;

/** `value` as toJsonable would copy it, or NOT_PLAIN; ANCESTORS above `base` detects cycles. */
function plainCopy(value: unknown, depth: number, base: number, budget: Budget): unknown {
  if (--budget.values < 0) return NOT_PLAIN;
  switch (typeof value) {
    case "string":
      budget.chars -= value.length + 3;
      return value.length <= MAX_STRING_CHARS && budget.chars > 0 ? value : NOT_PLAIN;
    case "number":
      budget.chars -= 8;
      return Number.isFinite(value) && budget.chars > 0 ? value : NOT_PLAIN;
    case "boolean":
      budget.chars -= 8;
      return budget.chars > 0 ? value : NOT_PLAIN;
    case "undefined":
      budget.chars -= 8;
      return budget.chars > 0 ? null : NOT_PLAIN;
    case "object":
      break;
    default:
      return NOT_PLAIN;
  }
  budget.chars -= 8;
  if (value === null) return budget.chars > 0 ? null : NOT_PLAIN;
  if (depth >= MAX_DEPTH || budget.chars <= 0 || ANCESTORS.indexOf(value, base) !== -1) return NOT_PLAIN;
  const proto: unknown = Object.getPrototypeOf(value);
  ANCESTORS.push(value);
  let copy: unknown[] | Record<string, unknown>;
  if (proto === Array.prototype) {
    const items = value as unknown[];
    const length = items.length; // read once: a Proxy may answer differently later
    if (!(length <= MAX_ITEMS)) return NOT_PLAIN;
    const out: unknown[] = new Array(length); // sized once: push would grow it to 17 slots
    for (let i = 0; i < length; i++) {
      const item = plainCopy(items[i], depth + 1, base, budget);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      out[i] = item;
    }
    copy = out;
  } else if (proto === Object.prototype || proto === null) {
    const record = value as Record<string, unknown>;
    if (typeof record.toJSON === "function" || typeof record.then === "function") return NOT_PLAIN;
    const out: Record<string, unknown> = {};
    let count = 0;
    // for-in lists own enumerable keys in Object.keys order without allocating their array; an
    // inherited enumerable key (a polluted Object.prototype) is skipped, as Object.keys skips it.
    for (const key in record) {
      if (!hasOwn.call(record, key)) continue;
      // On the copy, an own "__proto__" would set its prototype instead: general path.
      if (++count > MAX_ITEMS || key === "__proto__") return NOT_PLAIN;
      budget.chars -= key.length + 4;
      const item = plainCopy(record[key], depth + 1, base, budget);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      out[key] = item;
    }
    copy = out;
  } else {
    return NOT_PLAIN;
  }
  ANCESTORS.pop();
  return copy;
}

function toJsonable(value: unknown, seen: WeakSet<object>, depth: number, budget: Budget): unknown {
  if (budget.values <= 0 || budget.chars <= 0) return BUDGET_MARKER;
  budget.values--;
  // An estimate on the high side (quotes, commas, numbers' digits), so the budget runs out before
  // the output reaches MAX_JSON_CHARS and the result stays valid JSON.
  budget.chars -= typeof value === "string" ? Math.min(value.length, MAX_STRING_CHARS) + 3 : 8;
  switch (typeof value) {
    case "string":
      return truncateString(value);
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "boolean":
      return value;
    case "bigint":
      return value.toString();
    case "undefined":
      return null;
    case "symbol":
      return value.toString();
    case "function":
      return `[Function ${value.name || "anonymous"}]`;
  }
  if (value === null) return null;
  const object = value as object;
  if (seen.has(object)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[MaxDepth]";
  seen.add(object);
  try {
    return objectToJsonable(object, seen, depth + 1, budget);
  } catch (error) {
    // A revoked Proxy or a throwing getter spoils this value only, not the whole capture.
    return `[unreadable: ${describeError(error)}]`;
  } finally {
    // Only ancestors count as cycles: the same object twice side by side is printed twice.
    seen.delete(object);
  }
}

function objectToJsonable(object: object, seen: WeakSet<object>, depth: number, budget: Budget): unknown {
  const recurse = (item: unknown) => toJsonable(item, seen, depth, budget);
  if (object instanceof Error) {
    const out: Record<string, unknown> = { name: object.name, message: object.message };
    if (object.stack) out.stack = truncateString(object.stack, 4096);
    if ("cause" in object && object.cause !== undefined) out.cause = recurse(object.cause);
    return out;
  }
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? "Invalid Date" : object.toISOString();
  if (object instanceof RegExp) return object.toString();
  if (object instanceof Map) {
    return Object.fromEntries(firstItems(object.entries()).map(([key, item]) => [String(key), recurse(item)]));
  }
  if (object instanceof Set) return firstItems(object.values()).map(recurse);
  if (ArrayBuffer.isView(object)) return typedArrayToJsonable(object);
  if (object instanceof ArrayBuffer) return `[ArrayBuffer ${object.byteLength} bytes]`;
  if (Array.isArray(object)) return object.slice(0, MAX_ITEMS).map(recurse);
  if (typeof (object as { then?: unknown }).then === "function") return "[Promise]";
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return recurse(toJSON.call(object));
  const out: Record<string, unknown> = {};
  for (const key of ownKeys(object)) {
    if (budget.values <= 0 || budget.chars <= 0) {
      out["…"] = BUDGET_MARKER;
      break;
    }
    budget.chars -= key.length + 4;
    try {
      out[key] = recurse((object as Record<string, unknown>)[key]);
    } catch (error) {
      out[key] = `[unreadable: ${describeError(error)}]`;
    }
  }
  return out;
}

/** The first MAX_ITEMS items, without copying a huge collection first. */
function firstItems<T>(items: Iterator<T>): T[] {
  const out: T[] = [];
  for (let next = items.next(); !next.done && out.length < MAX_ITEMS; next = items.next()) out.push(next.value);
  return out;
}

/**
 * The first MAX_ITEMS own enumerable keys. Object.keys lists them all first; measured on a
 * 1,000,000-key object it is still faster than a for-in loop that stops early (V8 enumerates
 * for-in keys up front too), and such an object took longer to build than to list.
 */
function ownKeys(object: object): string[] {
  return Object.keys(object).slice(0, MAX_ITEMS);
}

function typedArrayToJsonable(view: ArrayBufferView): unknown {
  if (view instanceof DataView) return `[DataView ${view.byteLength} bytes]`;
  const items = view as unknown as ArrayLike<number | bigint>;
  const out: Array<number | string> = [];
  for (let i = 0; i < Math.min(items.length, MAX_ITEMS); i++) {
    const item = items[i]!;
    out.push(typeof item === "bigint" ? item.toString() : item);
  }
  return out;
}
