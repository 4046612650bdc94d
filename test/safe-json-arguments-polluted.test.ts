/**
 * A call's input is written by stringifyArguments, which hands the wrapper's own argument array to
 * the native JSON.stringify when every argument is a scalar. A polluted prototype (a `toJSON` on
 * Object.prototype or Array.prototype, as some old libraries and polyfills add) makes
 * JSON.stringify run user code there after all. Whatever that code does, the user's function must
 * still run and return, nothing may throw into the caller, every span must end, and the input must
 * stay bounded, valid JSON: what safeStringify writes for the same value.
 */
import { describe, expect, it } from "vitest";
import { MAX_JSON_CHARS, safeStringify } from "../src/core/safe-json.js";
import { spanNamed } from "./helpers/otlp-receiver.js";
import { tracedWithReceiver } from "./helpers/setup.js";

const objectProto = Object.prototype as unknown as Record<string, unknown>;
const arrayProto = Array.prototype as unknown as Record<string, unknown>;

/** Runs `fn` with `toJSON` set on `proto` (not enumerable, as a polyfill would), then removes it. */
function withToJson<R>(proto: Record<string, unknown>, toJSON: (this: unknown) => unknown, fn: () => R): R {
  Object.defineProperty(proto, "toJSON", { value: toJSON, configurable: true, writable: true, enumerable: false });
  try {
    return fn();
  } finally {
    delete proto.toJSON;
  }
}

const pollutions: Array<[string, Record<string, unknown>, (this: unknown) => unknown]> = [
  ["Object.prototype.toJSON returning undefined", objectProto, () => undefined],
  ["Object.prototype.toJSON that throws", objectProto, () => { throw new Error("toJSON broke"); }],
  ["Array.prototype.toJSON that throws", arrayProto, () => { throw new Error("toJSON broke"); }],
  ["Array.prototype.toJSON returning a BigInt", arrayProto, () => 10n],
  ["Array.prototype.toJSON returning a cycle", arrayProto, () => { const loop: Record<string, unknown> = {}; loop.self = loop; return loop; }],
  ["Array.prototype.toJSON returning 1 MB", arrayProto, () => "z".repeat(1_000_000)],
];

describe("a call's input under a polluted prototype (stringifyArguments' direct path)", () => {
  for (const [label, proto, toJSON] of pollutions) {
    it(`${label}: the function runs and returns, the span ends, the input is safeStringify's`, async () => {
      const { telemetry, receiver } = await tracedWithReceiver();
      const add = telemetry.task({ name: "add" }, (a: number, b: string) => `${a}${b}`);
      let result: unknown;
      let expected = "";
      withToJson(proto, toJSON, () => {
        result = add(1, "x");
        expected = safeStringify({ args: [1, "x"], kwargs: {} });
      });
      expect(result).toBe("1x");
      await telemetry.flush();
      const spans = await receiver.waitForSpans(1);
      const input = spanNamed(spans, "add.task").attributes["traceloop.entity.input"] as string;
      expect(input).toBe(expected);
      expect(input.length).toBeLessThanOrEqual(MAX_JSON_CHARS);
      expect(() => JSON.parse(input)).not.toThrow();
    });
  }

  it("a polluted toJSON that calls a traced function ends after a few nested captures (no runaway recursion)", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const inner = telemetry.task({ name: "inner" }, (n: number) => n);
    const outer = telemetry.task({ name: "outer" }, (n: number) => n + 1);
    let calls = 0;
    let result: unknown;
    withToJson(arrayProto, function () {
      calls++;
      return calls < 10_000 ? inner(calls) : "stop"; // the bound only keeps a failing test finite
    }, () => {
      result = outer(1);
    });
    expect(result).toBe(2);
    // As safeStringify bounds it: a capture inside a capture is written, one more is a marker.
    expect(calls).toBeLessThanOrEqual(8);
    await telemetry.flush();
    const spans = await receiver.waitForSpans(1);
    expect(spanNamed(spans, "outer.task").attributes["traceloop.entity.output"]).toBe("2");
  });

  it("a polluted Array.prototype.every (answering true) does not let an object argument skip the general path", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const take = telemetry.task({ name: "take" }, (_a: unknown, _b: number) => "taken");
    const loop: Record<string, unknown> = { name: "loop" };
    loop.self = loop;
    const every = Array.prototype.every;
    let result: unknown;
    let expected = "";
    try {
      Array.prototype.every = () => true;
      result = take(loop, 1);
      expected = safeStringify({ args: [loop, 1], kwargs: {} });
    } finally {
      Array.prototype.every = every;
    }
    expect(result).toBe("taken");
    await telemetry.flush();
    const spans = await receiver.waitForSpans(1);
    expect(spanNamed(spans, "take.task").attributes["traceloop.entity.input"]).toBe(expected);
    expect(expected).toContain("[Circular]");
  });
});
