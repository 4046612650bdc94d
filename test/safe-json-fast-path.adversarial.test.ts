/**
 * safeStringify's fast path copies a value in one walk and then hands the copy to the native
 * JSON.stringify, which reads it a second time. A getter or Proxy that answers differently on the
 * second read must not turn that into unbounded output, time or memory, invalid JSON or an
 * exception; and for plain data that reads the same each time the fast path must still give what
 * the general path gives.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generalStringify, MAX_JSON_CHARS, MAX_STRING_CHARS, safeStringify } from "../src/core/safe-json.js";

/** Reads of a leaf, counted: how much of a value the serialiser walked, whatever the clock says. */
let leafReads = 0;
const countedLeaf = (): object => ({ get v() { leafReads++; return 1; } });

/** Each level points twice at the next: 2^depth paths through depth + 1 objects. */
function sharedLadder(depth: number, leaf: object): object {
  let node = leaf;
  for (let i = 0; i < depth; i++) node = { a: node, b: node };
  return node;
}

/** Values that are cheap to build and expensive to write in full. */
const expensive = fc.oneof(
  fc.integer({ min: 16, max: 18 }).map((depth) => () => sharedLadder(depth, countedLeaf())),
  fc.integer({ min: 1_000_000, max: 3_000_000 }).map((length) => () => "y".repeat(length)),
  fc.constant(() => { const leaf = countedLeaf(); const row = new Array(1000).fill(leaf); return new Array(1000).fill(row); }),
  fc.constant(() => Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`k${i}`, i]))),
);

/** Ways a value can read one way in the check and another way when JSON.stringify reads it. */
type Changing = (small: unknown, large: () => unknown) => unknown;
const changing: Record<string, Changing> = {
  getter: (small, large) => {
    let reads = 0;
    return { before: 1, get x() { return reads++ === 0 ? small : large(); }, after: 2 };
  },
  proxyGet: (small, large) => {
    let reads = 0;
    return new Proxy({ x: 0 }, { get: (target, key, receiver) => (key === "x" ? (reads++ === 0 ? small : large()) : Reflect.get(target, key, receiver)) });
  },
  arrayIndexGetter: (small, large) => {
    let reads = 0;
    return Object.defineProperty([1, 2, 3], 1, { get: () => (reads++ === 0 ? small : large()), enumerable: true });
  },
  // Not enumerable, so only the `typeof toJSON` check and JSON.stringify read it.
  toJsonOnSecondRead: (_small, large) => {
    let reads = 0;
    return Object.defineProperty({ a: 1 }, "toJSON", { get: () => (reads++ === 0 ? undefined : () => large()), enumerable: false });
  },
  // The check reads `length` 5 times for 3 items (the MAX_ITEMS test, then each loop test); unfixed,
  // JSON.stringify then walked 2e7 items for 14 s (1e9: minutes) and wrote invalid JSON.
  proxyLengthGrows: () => {
    let reads = 0;
    return new Proxy([1, 2, 3], { get: (target, key, receiver) => (key === "length" ? (reads++ < 5 ? 3 : 1e9) : Reflect.get(target, key, receiver)) });
  },
  proxyKeysGrow: () => {
    let calls = 0;
    const many = Array.from({ length: 100_000 }, (_, i) => `k${i}`);
    return new Proxy({}, {
      ownKeys: () => (calls++ === 0 ? ["k0"] : many),
      getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true, writable: true }),
      get: () => 1,
    });
  },
};

function expectBoundedJson(json: string): void {
  expect(json.length).toBeLessThanOrEqual(MAX_JSON_CHARS);
  expect(() => JSON.parse(json)).not.toThrow();
}

describe("safeStringify's fast path against values that change between reads", () => {
  it("property: a getter, Proxy or late toJSON that grows on the second read gives bounded, valid JSON and a bounded walk", () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(changing)), fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null)), expensive, (how, small, large) => {
        leafReads = 0;
        const json = safeStringify({ value: changing[how]!(small, large) });
        expectBoundedJson(json);
        // The check, the native write and the general path each visit at most 20,000 values.
        expect(leafReads).toBeLessThanOrEqual(60_000);
      }),
      { numRuns: 40 },
    );
  });

  it("a getter that changes a plain value to another plain value is written as one of them (no exception, valid JSON)", () => {
    let reads = 0;
    const json = safeStringify({ get x() { return reads++ === 0 ? 1 : { now: "different" }; } });
    expect([{ x: 1 }, { x: { now: "different" } }]).toContainEqual(JSON.parse(json));
  });

  it("a getter that captures `this` again (a traced function called from a getter) ends after a few nested captures", () => {
    let reads = 0;
    const value = {
      a: 1,
      get self(): string {
        // Without a bound each nesting level tries twice (fast path, then general path): 2^levels.
        if (++reads > 5000) throw new Error("runaway");
        return safeStringify(this);
      },
    };
    const json = safeStringify(value);
    expect(() => JSON.parse(json)).not.toThrow();
    expect(JSON.parse(json).a).toBe(1);
    expect(reads).toBeLessThan(100);
  });

  it("a getter that captures another value, in the check and in the native write, leaves later captures right", () => {
    const inner: string[] = [];
    const value = { list: [1, 2], get nested() { inner.push(safeStringify({ deep: [{ y: 2 }] })); return inner.length; } };
    const json = safeStringify(value);
    expect(inner.every((one) => one === '{"deep":[{"y":2}]}')).toBe(true);
    expect(JSON.parse(json).list).toEqual([1, 2]);
    // The shared ancestor stack is back to empty: cycles are still found, shared siblings still printed.
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(JSON.parse(safeStringify(cyclic))).toEqual({ a: 1, self: "[Circular]" });
    const shared = { s: 1 };
    expect(safeStringify([shared, shared])).toBe('[{"s":1},{"s":1}]');
  });
});

describe("safeStringify's fast path agrees with the general path on stable plain data at the edges", () => {
  const same = (value: unknown) => expect(safeStringify(value)).toBe(generalStringify(value));

  it("-0, lone surrogates, numeric-like keys, frozen, sealed and null-prototype objects, extra array properties, sparse arrays, stable getters", () => {
    const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
    const huge: unknown[] = [];
    huge.length = 2 ** 32 - 1;
    const values: unknown[] = [
      -0, [-0], { z: -0 }, "\uD800", ["a\uDC00b", "\uDBFF\uDFFF"], { "\uD800": 1 },
      { b: 1, 10: 2, 2: 3, "-1": 4, "01": 5, 4294967295: 6, 4294967294: 7, a: 8 },
      Object.freeze({ a: [1, Object.seal({ b: 2 })] }), Object.preventExtensions({ c: 3 }), Object.assign(Object.create(null), { d: 4 }),
      Object.assign([1, 2], { extra: "ignored" }), sparse, new Array(1000), huge,
      { get stable() { return { x: [1, 2] }; } }, Object.defineProperty([1, 2], 0, { get: () => 9, enumerable: true }),
      new Uint8Array([1, 2]), new Float64Array([-0, NaN]),
    ];
    for (const value of values) same(value);
    expect(safeStringify({ b: 1, 10: 2, 2: 3, a: 8 })).toBe('{"2":3,"10":2,"b":1,"a":8}');
    expect(safeStringify("\uD800")).toBe('"\\ud800"');
  });

  it("a polluted Object.prototype (enumerable key, toJSON, then) and Array.prototype.toJSON", () => {
    const objectProto = Object.prototype as Record<string, unknown>;
    const arrayProto = Array.prototype as unknown as Record<string, unknown>;
    try {
      objectProto.polluted = 1;
      same({ a: 1 });
      expect(safeStringify({ a: 1 })).toBe('{"a":1}');
      delete objectProto.polluted;

      arrayProto.toJSON = () => "array replaced";
      same([1, 2]);
      same({ list: [1, 2] });
      delete arrayProto.toJSON;

      Object.defineProperty(objectProto, "toJSON", { value: () => "object replaced", configurable: true, writable: true });
      same({ a: 1 });
      same([{ a: 1 }]);
      delete objectProto.toJSON;

      objectProto.then = () => undefined;
      same({ a: 1 });
    } finally {
      delete objectProto.polluted;
      delete objectProto.toJSON;
      delete objectProto.then;
      delete arrayProto.toJSON;
    }
  });

  it("exactly at the bounds: 20,000 values, the character budget, depth 32, 1,000 items, 32 KiB strings", () => {
    const row = new Array(999).fill(0);
    const rows = (n: number) => Array.from({ length: n }, () => row);
    // 1 + 20 × 1,000 = 20,001 values; 1 + (1 + 19 × 1,000) + (1 + 997) = 20,000.
    const atValues = [rows(19), new Array(997).fill(0)];
    for (const value of [rows(20), atValues, [rows(19), new Array(998).fill(0)], rows(21)]) same(value);
    // Strings that bring the character budget to just above and just below zero.
    for (const n of [7, 8]) {
      const strings = Array.from({ length: n }, () => "s".repeat(MAX_STRING_CHARS));
      same(strings);
      same({ k: strings });
    }
    const near = (MAX_JSON_CHARS - 8) / 1000 - 3;
    for (const delta of [-1, 0, 1]) same(new Array(1000).fill("c".repeat(near + delta)));
    for (const depth of [31, 32, 33]) {
      let deep: unknown = 1;
      for (let i = 0; i < depth; i++) deep = [deep];
      same(deep);
    }
    for (const length of [1000, 1001]) {
      same(Object.fromEntries(Array.from({ length }, (_, i) => [`k${i}`, i])));
      same(new Array(length).fill(null));
    }
    same("x".repeat(MAX_STRING_CHARS));
    same("x".repeat(MAX_STRING_CHARS + 1));
  });

  it("plain data right at the budget still takes the fast path, which reads a stable getter once; one over, the general path writes the same as it would alone", () => {
    let reads = 0;
    const getter = { get g() { reads++; return 0; } };
    const row = new Array(999).fill(0);
    // 1 + (1 + 19 × 1,000) + (1 + 995 + 2) = 20,000 values, the getter last.
    const atValues = [new Array(19).fill(row), [...new Array(995).fill(0), getter]];
    const overValues = [new Array(19).fill(row), [...new Array(996).fill(0), getter]];
    reads = 0;
    expect(safeStringify(atValues)).toBe(generalStringify(atValues));
    expect(reads).toBe(2); // 1 in safeStringify (the copy), 1 in generalStringify
    expect(safeStringify(overValues)).toBe(generalStringify(overValues));
    // Charged: object 8, "s" 5, array 8, 7 × 32,771 + (n + 3), "later" 9, getter object 8, "g" 5,
    // 0 8 = 229,451 + n: n = 32,692 leaves exactly 1 of 262,144, one more and the fast path gives up.
    for (const n of [32_692, 32_693]) {
      reads = 0;
      const atChars = { s: [...new Array(7).fill("s".repeat(MAX_STRING_CHARS)), "t".repeat(n)], later: getter };
      const json = safeStringify(atChars);
      // At 1 left the copy is written (1 read); at 0 the general path reads the getter again.
      expect(reads).toBe(n === 32_692 ? 1 : 2);
      expect(json).toBe(generalStringify(atChars));
    }
  });

  it("a 1,000,000-key object is written as valid JSON within the bound", () => {
    const wide: Record<string, number> = {};
    for (let i = 0; i < 1_000_000; i++) wide[`k${i}`] = i;
    const json = safeStringify(wide);
    expectBoundedJson(json);
    expect(Object.keys(JSON.parse(json))).toHaveLength(1000);
  });
});
