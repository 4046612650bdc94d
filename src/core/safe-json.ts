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
 * value holding that getter again, without end (untraced, the getter runs once). Each level reads the
 * getter twice (check and write, or fast and general path), so n levels run it 2^n times: one nested
 * level still records what a getter's own traced call takes and returns, and runs it at most 6 times.
 */
const MAX_NESTED_CAPTURES = 2;
export const NESTED_CAPTURE_MARKER = "[capture inside a capture]";
let nestedCaptures = 0;

/** Serialises any value to JSON; never throws, always returns a string. */
export function safeStringify(value: unknown): string {
  if (nestedCaptures >= MAX_NESTED_CAPTURES) return JSON.stringify(NESTED_CAPTURE_MARKER);
  nestedCaptures++;
  try {
    const fast = fastPath(value);
    // Over MAX_JSON_CHARS only through escapes: the general path writes it again within bounds.
    return fast !== undefined && fast.length <= MAX_JSON_CHARS ? fast : generalStringify(value);
  } catch (error) {
    return JSON.stringify(`[unserializable: ${describeError(error)}]`);
  } finally {
    nestedCaptures--;
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
 * plain arrays and plain objects without `toJSON`/`then`, within MAX_DEPTH, MAX_ITEMS and the same
 * budget) goes to the native JSON.stringify after one walk that only checks it, so the JavaScript
 * side allocates nothing but key lists. For such values the native output is exactly what
 * toJsonable + JSON.stringify would give (property test); anything else (undefined as a property
 * value, which the general path prints as null and the native one omits; cycles; class instances;
 * Maps; long strings; a budget running out) takes the general path. Getters and Proxy traps run in
 * the check and again in JSON.stringify, and may answer differently the second time (a small value,
 * then a shared graph of 2^20 paths or a megabyte string): JSON.stringify writes through
 * `checkAgain`, which holds the native walk to the same budget and gives up (general path) when it
 * runs out. A getter that throws or returns a cycle the second time makes JSON.stringify throw: the
 * general path too.
 */
function fastPath(value: unknown): string | undefined {
  // The walk's ancestor stack is shared between calls (no allocation per capture); a getter that
  // captures a value itself (re-entrant) pushes above `base` and everything is popped back below.
  // Likewise the native walk's budget: saved here, restored when a nested capture returns.
  const base = ANCESTORS.length;
  const outerValues = native.values;
  const outerChars = native.chars;
  try {
    const budget: Budget = { values: MAX_VISITED_VALUES, chars: MAX_JSON_CHARS };
    if (!isPlainJson(value, 0, base, budget)) return undefined;
    if (value === undefined) return "null";
    // What the check spent is all the native walk may spend; the root's holder key "" costs 4 more.
    native.values = MAX_VISITED_VALUES - budget.values;
    native.chars = MAX_JSON_CHARS - budget.chars + 4;
    return JSON.stringify(value, checkAgain);
  } catch {
    return undefined; // a throwing getter or Proxy trap, or checkAgain's budget ran out: the general path
  } finally {
    ANCESTORS.length = base;
    native.values = outerValues;
    native.chars = outerChars;
  }
}

/** What the native walk of the capture in progress may still spend (see checkAgain). */
const native: Budget = { values: 0, chars: 0 };
/** Thrown by checkAgain (no Error: nothing to capture a stack for); fastPath catches it. */
const OVER_BUDGET = { overBudget: true };

/**
 * JSON.stringify's replacer: called with each value it is about to write, charges it as isPlainJson
 * did and stops the walk once the native side writes more than the check saw. For values that read
 * the same twice it never stops (same charges). Cost, measured: a JS call per value, ~2-3 µs more
 * for a 700-character capture, garbage per capture unchanged (~1.5 KB, against 6.7 KB before eb7f934).
 */
function checkAgain(this: unknown, key: string, value: unknown): unknown {
  native.chars -= (typeof value === "string" ? value.length + 3 : 8) + (Array.isArray(this) ? 0 : key.length + 4);
  if (--native.values < 0 || native.chars < 0) throw OVER_BUDGET;
  return value;
}

const ANCESTORS: object[] = [];
const hasOwn = Object.prototype.hasOwnProperty;

/** Whether `value` is plain data that JSON.stringify writes exactly as the general path would; ANCESTORS above `base` detects cycles. */
function isPlainJson(value: unknown, depth: number, base: number, budget: Budget): boolean {
  if (--budget.values < 0) return false;
  switch (typeof value) {
    case "string":
      budget.chars -= value.length + 3;
      return value.length <= MAX_STRING_CHARS && budget.chars > 0;
    case "number":
      budget.chars -= 8;
      return Number.isFinite(value) && budget.chars > 0;
    case "boolean":
    case "undefined": // null in an array; object properties that are undefined never get here
      budget.chars -= 8;
      return budget.chars > 0;
    case "object":
      break;
    default:
      return false;
  }
  budget.chars -= 8;
  if (value === null) return budget.chars > 0;
  if (depth >= MAX_DEPTH || budget.chars <= 0 || ANCESTORS.indexOf(value, base) !== -1) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  // JSON.stringify would call a toJSON the general path ignores (arrays) or handles itself (objects).
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
  ANCESTORS.push(value);
  if (proto === Array.prototype) {
    const items = value as unknown[];
    if (items.length > MAX_ITEMS) return false;
    for (let i = 0; i < items.length; i++) {
      if (!isPlainJson(items[i], depth + 1, base, budget)) return false;
    }
  } else if (proto === Object.prototype || proto === null) {
    const record = value as Record<string, unknown>;
    if (typeof record.then === "function") return false;
    let count = 0;
    // for-in lists own enumerable keys in Object.keys order without allocating their array; an
    // inherited enumerable key (a polluted Object.prototype) is skipped, as JSON.stringify skips it.
    for (const key in record) {
      if (!hasOwn.call(record, key)) continue;
      // Copied onto a fresh object, an own "__proto__" would set its prototype instead: general path.
      if (++count > MAX_ITEMS || key === "__proto__") return false;
      budget.chars -= key.length + 4;
      const item = record[key];
      if (item === undefined || !isPlainJson(item, depth + 1, base, budget)) return false;
    }
  } else {
    return false;
  }
  ANCESTORS.pop();
  return true;
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
