/**
 * A getter that calls a traced function with `this` (a summary computed on demand): capturing the
 * input reads the getter, which calls the traced function, whose input capture reads the getter
 * again. Untraced, the getter runs once; traced, each nested capture tried the fast path and then
 * the general path, 2^levels until the stack ran out: the process hung. Nested captures are
 * bounded and the call still returns what it returned untraced.
 */
import { describe, expect, it } from "vitest";
import { task } from "../../src/runtime/node.js";
import { NESTED_CAPTURE_MARKER } from "../../src/core/safe-json.js";
import { tracedWithReceiver } from "../helpers/setup.js";

describe("a getter that calls a traced function with its own object", () => {
  it("returns, with a bounded number of nested calls, and every span is exported", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    let calls = 0;
    let reads = 0;
    const describeDoc = task({ name: "describe" }, (doc: { title: string }) => {
      calls++;
      return `doc ${doc.title}`;
    });
    const doc = {
      title: "t",
      get summary(): string {
        // Stops a runaway (2^n) recursion so that the unfixed code fails instead of hanging.
        if (++reads > 2000) throw new Error("runaway");
        return describeDoc(this);
      },
    };
    expect(doc.summary).toBe("doc t");
    // The call itself, then each capture reads the getter twice (check, write) one level down.
    expect(reads).toBeLessThanOrEqual(7);
    expect(calls).toBe(reads);
    await telemetry.flush();
    const spans = await receiver.waitForSpans(calls);
    expect(spans).toHaveLength(calls);
    const inputs = spans.map((span) => String(span.attributes["traceloop.entity.input"]));
    expect(inputs).toContain('{"args":[],"kwargs":{"title":"t","summary":"doc t"}}');
    expect(inputs.some((input) => input.includes(NESTED_CAPTURE_MARKER))).toBe(true);
  });
});
