/**
 * The character budget counts a string's length, but JSON escapes some characters into several
 * (`"` and newline into 2, control characters and lone surrogates into 6): a capture of long
 * chat messages full of quotes and newlines came out longer than MAX_JSON_CHARS, was cut with a
 * marker in the middle of a string, and was no longer JSON. It must stay valid JSON, within bounds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_JSON_CHARS, MAX_STRING_CHARS, safeStringify } from "../src/core/safe-json.js";

function expectBoundedJson(json: string): unknown {
  expect(json.length).toBeLessThanOrEqual(MAX_JSON_CHARS);
  let parsed: unknown;
  expect(() => (parsed = JSON.parse(json))).not.toThrow();
  return parsed;
}

/** A long string made of a short repeated unit, escape-heavy more often than not. */
const longText = fc
  .tuple(fc.oneof(fc.string({ unit: "binary", minLength: 1, maxLength: 6 }), fc.constantFrom('"', "\n", "\\", "\u0001", "\uD800", 'a "b"\n')), fc.integer({ min: 1, max: MAX_STRING_CHARS + 100 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

describe("safeStringify with escape-heavy strings", () => {
  it("8 chat messages of 32 KiB with quotes and newlines stay valid JSON", () => {
    const text = 'he said "yes"\nthen "no"\n'.repeat(2000).slice(0, MAX_STRING_CHARS);
    const parsed = expectBoundedJson(safeStringify({ args: [{ messages: Array.from({ length: 8 }, () => ({ role: "user", content: text })) }], kwargs: {} })) as { args: [{ messages: { content: string }[] }] };
    // The first messages are kept whole.
    expect(parsed.args[0].messages[0]!.content).toBe(text);
  });

  it("control characters, lone surrogates and a megabyte key stay valid JSON", () => {
    expectBoundedJson(safeStringify(Array.from({ length: 7 }, () => "\u0001".repeat(MAX_STRING_CHARS))));
    expectBoundedJson(safeStringify(Array.from({ length: 7 }, () => "\uDC00".repeat(MAX_STRING_CHARS))));
    expectBoundedJson(safeStringify({ ["k".repeat(1_000_000)]: 1 }));
    expectBoundedJson(safeStringify({ ['"'.repeat(300_000)]: 1, other: "x" }));
  });

  it("property: any mix of long escape-heavy strings, as values and keys, gives valid JSON within MAX_JSON_CHARS", () => {
    const shape = fc.oneof(
      fc.array(longText, { minLength: 1, maxLength: 12 }),
      fc.array(fc.tuple(longText, longText), { minLength: 1, maxLength: 8 }).map((pairs) => Object.fromEntries(pairs)),
      fc.array(longText, { minLength: 1, maxLength: 12 }).map((texts) => ({ args: texts.map((content) => ({ content })), kwargs: {} })),
    );
    fc.assert(fc.property(shape, (value) => void expectBoundedJson(safeStringify(value))), { numRuns: 60 });
  });
});
