import { describe, expect, it } from "vitest";
import { MAX_JSON_CHARS, MAX_STRING_CHARS, safeStringify } from "../src/core/safe-json.js";
import { formatInput } from "../src/core/entity-span.js";

describe("SPEC §3 serialisation never throws", () => {
  it("handles circular references, BigInt, functions, symbols", () => {
    const loop: any = { name: "loop" };
    loop.self = loop;
    expect(JSON.parse(safeStringify(loop))).toEqual({ name: "loop", self: "[Circular]" });
    expect(safeStringify(10n ** 20n)).toBe('"100000000000000000000"');
    expect(JSON.parse(safeStringify({ f: function hello() {}, s: Symbol("x") }))).toEqual({ f: "[Function hello]", s: "Symbol(x)" });
  });

  it("repeats shared (non-circular) objects instead of calling them circular", () => {
    const shared = { a: 1 };
    expect(JSON.parse(safeStringify([shared, shared]))).toEqual([{ a: 1 }, { a: 1 }]);
  });

  it("handles Errors, Maps, Sets, typed arrays, Dates, NaN", () => {
    const parsed = JSON.parse(
      safeStringify({
        error: new TypeError("bad", { cause: "why" }),
        map: new Map<unknown, unknown>([["k", 1], [2, new Set([3])]]),
        bytes: new Uint8Array([1, 2, 3]),
        big: new BigInt64Array([5n]),
        date: new Date(0),
        nan: Number.NaN,
        missing: undefined,
      }),
    );
    expect(parsed.error).toMatchObject({ name: "TypeError", message: "bad", cause: "why" });
    expect(parsed.map).toEqual({ k: 1, "2": [3] });
    expect(parsed.bytes).toEqual([1, 2, 3]);
    expect(parsed.big).toEqual(["5"]);
    expect(parsed.date).toBe("1970-01-01T00:00:00.000Z");
    expect(parsed.nan).toBe("NaN");
    expect(parsed.missing).toBeNull();
  });

  it("truncates multi-megabyte strings with a marker and bounds the whole result", () => {
    const huge = "x".repeat(5 * 1024 * 1024);
    const json = safeStringify({ prompt: huge });
    const value = JSON.parse(json).prompt as string;
    expect(value.startsWith("x".repeat(MAX_STRING_CHARS))).toBe(true);
    expect(value).toContain(`…[truncated ${huge.length - MAX_STRING_CHARS} chars]`);
    const many = Array.from({ length: 900 }, () => "y".repeat(MAX_STRING_CHARS));
    expect(safeStringify(many).length).toBeLessThanOrEqual(MAX_JSON_CHARS + 40);
  });

  it("survives getters and toJSON that throw", () => {
    const hostile = {
      get trap() {
        throw new Error("nope");
      },
      ok: 1,
    };
    expect(JSON.parse(safeStringify(hostile))).toEqual({ trap: "[unreadable: nope]", ok: 1 });
    expect(() => safeStringify({ toJSON() { throw new Error("x"); } })).not.toThrow();
  });

  it("formats input like the Python SDK", () => {
    expect(formatInput([])).toBe('{"args":[],"kwargs":{}}');
    expect(formatInput(["a", 1])).toBe('{"args":["a",1],"kwargs":{}}');
    expect(formatInput([{ topic: "sea" }])).toBe('{"args":[],"kwargs":{"topic":"sea"}}');
    expect(formatInput([[1, 2]])).toBe('{"args":[[1,2]],"kwargs":{}}');
  });
});
