import { EventEmitter } from "node:events";
import { ROOT_CONTEXT, context, createContextKey } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { withTask } from "../src/runtime/node.js";
import { spanNamed } from "./helpers/otlp-receiver.js";
import { tracedWithReceiver } from "./helpers/setup.js";

const KEY = createContextKey("respan-test.request");

describe("Node context manager (what other instrumentations rely on)", () => {
  it("context.bind(ctx, emitter) runs the emitter's listeners in ctx", async () => {
    await tracedWithReceiver();
    // Our context manager is registered globally at our first span, not at construction, so that
    // a tool set up after us can still register its own (SPEC §11 Coexistence).
    withTask({ name: "first_span" }, () => undefined);
    const emitter = new EventEmitter();
    const ctx = ROOT_CONTEXT.setValue(KEY, "request-1");
    expect(context.bind(ctx, emitter)).toBe(emitter);
    const seen: unknown[] = [];
    emitter.on("data", () => seen.push(context.active().getValue(KEY)));
    emitter.once("data", () => seen.push(context.active().getValue(KEY)));
    context.with(ROOT_CONTEXT.setValue(KEY, "somewhere else"), () => emitter.emit("data"));
    emitter.emit("data");
    expect(seen).toEqual(["request-1", "request-1", "request-1"]);
  });

  it("a span started in a bound emitter's listener nests under the span that bound it", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const emitter = new EventEmitter();
    withTask({ name: "owner" }, () => context.bind(context.active(), emitter));
    const done = new Promise<void>((resolve) => emitter.on("message", () => resolve(withTask({ name: "listener" }, () => undefined))));
    setImmediate(() => emitter.emit("message"));
    await done;
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    expect(spanNamed(spans, "listener.task").parentSpanId).toBe(spanNamed(spans, "owner.task").spanId);
  });
});
