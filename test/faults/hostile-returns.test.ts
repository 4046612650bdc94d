/** Whatever a wrapped function returns or throws, the caller gets exactly that, and the span ends. */
import { describe, expect, it } from "vitest";
import { withTask, withWorkflow } from "../../src/runtime/node.js";
import { spanNamed } from "../helpers/otlp-receiver.js";
import { tracedWithReceiver } from "../helpers/setup.js";

describe("hostile return values", () => {
  it("a ReadableStream already locked is returned untouched (sync and async), and its span ends", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const locked = new ReadableStream<string>({ start: (c) => (c.enqueue("hi"), c.close()) });
    const reader = locked.getReader();
    expect(withTask({ name: "sync_locked" }, () => locked)).toBe(locked);
    expect(await withTask({ name: "async_locked" }, async () => locked)).toBe(locked);
    expect(await reader.read()).toEqual({ done: false, value: "hi" }); // the owner still reads it
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    expect(spanNamed(spans, "sync_locked.task").attributes["traceloop.entity.output"]).toBe('"[stream, not observed: already being read]"');
    expect(spanNamed(spans, "async_locked.task").status.code).not.toBe(2);
  });

  it("a value whose `then` getter throws, or a revoked Proxy, is returned as is; the span ends", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const trap = {
      get then() {
        throw new Error("gotcha");
      },
    };
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(withTask({ name: "throwing_then" }, () => trap)).toBe(trap);
    expect(withWorkflow({ name: "revoked" }, () => proxy)).toBe(proxy);
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    expect(spans.map((s) => s.name).sort()).toEqual(["revoked.workflow", "throwing_then.task"]);
  });
});
