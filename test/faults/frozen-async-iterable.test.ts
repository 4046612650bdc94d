/**
 * A frozen async iterator (or iterable) returned through a wrapper: a Proxy may not answer for a
 * frozen object's own methods with anything but the methods themselves (a TypeError otherwise), so
 * tracking it that way threw into the caller's for-await and left the span open. It cannot be
 * observed: the caller gets it untouched, it iterates as it would unwrapped, and the span ends now.
 */
import { describe, expect, it } from "vitest";
import { withTask } from "../../src/runtime/node.js";
import { spanNamed } from "../helpers/otlp-receiver.js";
import { tracedWithReceiver } from "../helpers/setup.js";

function frozenIterator(): AsyncIterableIterator<number> {
  let i = 0;
  return Object.freeze({
    next: async () => (i < 2 ? { done: false as const, value: i++ } : { done: true as const, value: undefined }),
    [Symbol.asyncIterator]() {
      return this;
    },
  });
}

describe("a frozen async iterator returned through a wrapper", () => {
  it("is returned untouched and iterates as without the wrapper; its span ends", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const iterated = withTask({ name: "frozen_iterated" }, frozenIterator);
    const got: number[] = [];
    for await (const value of iterated) got.push(value);
    expect(got).toEqual([0, 1]);
    const called = withTask({ name: "frozen_next" }, frozenIterator);
    expect(await called.next()).toEqual({ done: false, value: 0 });
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    expect(spans.map((s) => s.name).sort()).toEqual(["frozen_iterated.task", "frozen_next.task"]);
    expect(spanNamed(spans, "frozen_iterated.task").status.code).not.toBe(2);
  });
});
