import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { SpanLink, deserializeSpans, getClient, serializeSpans, withTask, withWorkflow } from "../src/runtime/node.js";
import { spanNamed } from "./helpers/otlp-receiver.js";
import { tracedWithReceiver } from "./helpers/setup.js";

describe("SPEC §7 SpanBuffer", () => {
  it("buffers spans started in run() instead of exporting them; they share one new trace", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const client = getClient();
    const buffer = client.getSpanBuffer("trace-123");
    await withWorkflow({ name: "live" }, async () => {
      await buffer.run(async () => {
        buffer.createSpan("step1", { status: "completed", detail: { n: 1 } }, { kind: SpanKind.CLIENT });
        await withTask({ name: "t" }, async () => {
          buffer.createSpan("inside_t", {});
        });
        buffer.createSpan("step2", {});
      });
    });
    await telemetry.flush();
    await receiver.waitForSpans(1);
    expect(receiver.spans.map((s) => s.name)).toEqual(["live.workflow"]);
    expect(buffer.getSpanCount()).toBe(4);
    const spans = buffer.getAllSpans();
    const traceIds = new Set(spans.map((s) => s.spanContext().traceId));
    expect(traceIds.size).toBe(1);
    expect([...traceIds][0]).not.toBe(receiver.spans[0]!.traceId);
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    expect(byName["step1"]!.attributes).toMatchObject({ status: "completed", detail: '{"n":1}' });
    expect(byName["step1"]!.kind).toBe(SpanKind.CLIENT);
    expect(byName["inside_t"]!.parentSpanContext?.spanId).toBe(byName["t.task"]!.spanContext().spanId);
    expect(byName["step1"]!.parentSpanContext).toBeUndefined();
    buffer.clearSpans();
    expect(buffer.getSpanCount()).toBe(0);
  });

  it("continues a trace with parentTraceId/parentSpanId, then processSpans sends them through routing", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const routed = new InMemorySpanExporter();
    telemetry.addProcessor({ name: "side", exporter: routed });
    const parentTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const parentSpanId = "00f067aa0ba902b7";
    const buffer = getClient().getSpanBuffer("job-7", { parentTraceId, parentSpanId });
    buffer.run(() => {
      withTask({ name: "buffered_task" }, () => buffer.createSpan("child_step"));
      withTask({ name: "to_side", processors: "side" }, () => 1);
    });
    expect(receiver.spans).toHaveLength(0);
    await expect(getClient().processSpans(buffer)).resolves.toBe(true);
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    const task = spanNamed(spans, "buffered_task.task");
    expect(task.traceId).toBe(parentTraceId);
    expect(task.parentSpanId).toBe(parentSpanId);
    expect(spanNamed(spans, "child_step").parentSpanId).toBe(task.spanId);
    expect(routed.getFinishedSpans().map((s) => s.name)).toEqual(["to_side.task"]);
  });

  it("rejects half or malformed parent ids clearly", async () => {
    await tracedWithReceiver();
    expect(() => getClient().getSpanBuffer("x", { parentTraceId: "4bf92f3577b34da6a3ce929d0e0e4736" })).toThrow(/both parentTraceId and parentSpanId/);
    expect(() => getClient().getSpanBuffer("x", { parentTraceId: "nope", parentSpanId: "00f067aa0ba902b7" })).toThrow(TypeError);
  });

  it("serializeSpans → deserializeSpans round-trips exactly and processes like the originals", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const buffer = getClient().getSpanBuffer("browser-session");
    buffer.run(() =>
      withTask({ name: "collected", links: [new SpanLink({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", attributes: { k: "v" } })] }, () => {
        getClient().addEvent("clicked", { x: 1 });
        getClient().updateCurrentSpan({ status: "ERROR", statusDescription: "oops" });
        buffer.createSpan("leaf", { n: 1.5, ok: true, list: ["a", "b"] }, { startTime: 1_700_000_000_000, endTime: 1_700_000_000_250 });
      }),
    );
    const original = buffer.getAllSpans();
    const json = serializeSpans(original);
    const copy = deserializeSpans(json);
    expect(serializeSpans(copy)).toBe(json);
    for (const [i, span] of copy.entries()) {
      const o = original[i]!;
      expect(span.spanContext()).toEqual({ ...o.spanContext(), traceState: undefined });
      expect(span.parentSpanContext?.spanId).toBe(o.parentSpanContext?.spanId);
      expect(span.startTime).toEqual(o.startTime);
      expect(span.endTime).toEqual(o.endTime);
      expect(span.duration).toEqual(o.duration);
      expect(span.attributes).toEqual(o.attributes);
      expect(span.events).toEqual(o.events.map((e) => JSON.parse(JSON.stringify(e))));
      expect(span.links.map((l) => [l.context.spanId, l.attributes])).toEqual(o.links.map((l) => [l.context.spanId, l.attributes]));
      expect(span.status).toEqual(o.status);
      expect(span.resource.attributes).toEqual(o.resource.attributes);
    }
    await getClient().processSpans(copy);
    await telemetry.flush();
    const received = await receiver.waitForSpans(2);
    const leaf = spanNamed(received, "leaf");
    expect(leaf.endTimeUnixNano).toBe("1700000000250000000");
    expect(spanNamed(received, "collected.task").status).toMatchObject({ code: 2, message: "oops" });
    expect(spanNamed(received, "collected.task").links[0]!.attributes).toEqual({ k: "v" });
    expect(spanNamed(received, "collected.task").events[0]).toEqual({ name: "clicked", attributes: { x: 1 } });
  });

  it("deserializeSpans rejects anything else with a TypeError", () => {
    expect(() => deserializeSpans("not json")).toThrow(TypeError);
    expect(() => deserializeSpans('{"spans":[]}')).toThrow(/serializeSpans/);
    expect(() => deserializeSpans('{"format":"respan-spans/1","spans":[{}]}')).toThrow(/span 0 is malformed/);
  });
});
