/**
 * safeStringify hands plain data to the native JSON.stringify after checking it (its fast path) and
 * takes the general path (copy, then JSON.stringify) for everything else: both must give
 * byte-for-byte the same string.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generalStringify, MAX_JSON_CHARS, MAX_STRING_CHARS, safeStringify } from "../src/core/safe-json.js";
import { stringifyArguments } from "../src/core/safe-json-arguments.js";

const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string(),
    fc.string({ unit: "binary" }), // lone surrogates, control characters
    fc.double(), // NaN, ±Infinity, -0
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie("value"), { maxLength: 6 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("__proto__", "toJSON", "then", "0", "10", "constructor")), tie("value"), { maxKeys: 6, noNullPrototype: false }),
  ),
})).value;

describe("safeStringify's fast path", () => {
  it("property: gives exactly what the general path gives, for plain data", () => {
    fc.assert(fc.property(plain, (value) => {
      expect(safeStringify(value)).toBe(generalStringify(value));
    }), { numRuns: 2000 });
  });

  it("property: and for anything else (class instances, Maps, Dates, typed arrays, sparse arrays, null prototypes)", () => {
    const anything = fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withBoxedValues: true, withObjectString: true });
    fc.assert(fc.property(anything, (value) => {
      expect(safeStringify(value)).toBe(generalStringify(value));
    }), { numRuns: 1000 });
  });

  it("agrees at the edges: long strings, deep nesting, cycles, wide arrays, a throwing getter", () => {
    const deep: Record<string, unknown> = {};
    let node = deep;
    for (let i = 0; i < 40; i++) node = (node.next = {}) as Record<string, unknown>;
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const shared = { x: 1 };
    const getter = { ok: 1, get bad(): number { throw new Error("no"); } };
    const escapes = "\n\u0001\"".repeat(60_000);
    const arrayWithToJson = Object.assign([1, 2], { toJSON: () => "replaced" });
    for (const value of [undefined, { a: undefined, b: 1 }, [undefined, 1], arrayWithToJson, "x".repeat(MAX_STRING_CHARS + 1), "x".repeat(MAX_STRING_CHARS), deep, cyclic, [shared, shared], new Array(1001).fill(1), new Array(1000).fill("y".repeat(300)), getter, escapes, [escapes, escapes, escapes, escapes, escapes]]) {
      expect(safeStringify(value)).toBe(generalStringify(value));
    }
  });
});

describe("stringifyArguments (a call's input, without a copy when every argument is a scalar)", () => {
  const scalar = fc.oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.double(), // NaN and ±Infinity are not scalars JSON keeps: the general path writes them as text
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
  );

  it("property: gives exactly what safeStringify gives for the same { args, kwargs: {} }", () => {
    fc.assert(fc.property(fc.array(fc.oneof(scalar, plain), { maxLength: 20 }), (args) => {
      expect(stringifyArguments(args)).toBe(safeStringify({ args, kwargs: {} }));
    }), { numRuns: 2000 });
  });

  it("agrees at the bounds: strings at and over MAX_STRING_CHARS, JSON over MAX_JSON_CHARS through escapes, 16 and 17 arguments", () => {
    const escapes = "\n\u0001\"".repeat(10_000); // 30,000 chars, ~80,000 once escaped
    const cases: unknown[][] = [
      ["x".repeat(MAX_STRING_CHARS)],
      ["x".repeat(MAX_STRING_CHARS + 1)],
      [escapes, escapes, escapes, escapes],
      new Array(16).fill("y".repeat(MAX_STRING_CHARS)),
      new Array(17).fill(1),
      [Number.NaN, -0, Number.POSITIVE_INFINITY],
      [],
    ];
    for (const args of cases) {
      const json = stringifyArguments(args);
      expect(json).toBe(safeStringify({ args, kwargs: {} }));
      expect(json.length).toBeLessThanOrEqual(MAX_JSON_CHARS);
      expect(() => JSON.parse(json)).not.toThrow();
    }
  });
});

