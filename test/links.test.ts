import { describe, expect, it } from "vitest";
import { SpanLink, attachSpanLinks, withTask, withWorkflow } from "../src/runtime/node.js";
import { spanNamed } from "./helpers/otlp-receiver.js";
import { tracedWithReceiver } from "./helpers/setup.js";

const TRACE_A = "0af7651916cd43dd8448eb211c80319c";
const SPAN_A = "b7ad6b7169203331";
const TRACE_B = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN_B = "00f067aa0ba902b7";

describe("SPEC §6 links", () => {
  it("validates ids with a clear TypeError", () => {
    expect(() => new SpanLink({ traceId: TRACE_A, spanId: SPAN_A })).not.toThrow();
    expect(() => new SpanLink({ traceId: TRACE_A.toUpperCase(), spanId: SPAN_A })).toThrow(TypeError);
    expect(() => new SpanLink({ traceId: "abc", spanId: SPAN_A })).toThrow(/traceId must be 32 lower-case hex/);
    expect(() => new SpanLink({ traceId: TRACE_A, spanId: "xyz" })).toThrow(/spanId must be 16 lower-case hex/);
    expect(() => new SpanLink({ traceId: "0".repeat(32), spanId: SPAN_A })).toThrow(TypeError);
    expect(() => new SpanLink({ traceId: TRACE_A, spanId: 42 as unknown as string })).toThrow(TypeError);
  });

  it("links option as an array or a function called per invocation", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    let calls = 0;
    withTask({ name: "array", links: [new SpanLink({ traceId: TRACE_A, spanId: SPAN_A, attributes: { why: "queued-by" } })] }, () => 1);
    const dynamic = { name: "fn", links: () => (calls++, [new SpanLink({ traceId: TRACE_B, spanId: SPAN_B })]) };
    withTask(dynamic, () => 1);
    withTask(dynamic, () => 1);
    await telemetry.flush();
    const spans = await receiver.waitForSpans(3);
    expect(spanNamed(spans, "array.task").links).toEqual([{ traceId: TRACE_A, spanId: SPAN_A, attributes: { why: "queued-by" } }]);
    expect(calls).toBe(2);
    for (const span of spans.filter((s) => s.name === "fn.task")) expect(span.links.map((l) => l.spanId)).toEqual([SPAN_B]);
  });

  it("attachSpanLinks: the next wrapper span consumes them once, merged with explicit links", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    await withWorkflow({ name: "wf" }, async () => {
      attachSpanLinks([new SpanLink({ traceId: TRACE_A, spanId: SPAN_A })]);
      await withTask({ name: "first", links: [new SpanLink({ traceId: TRACE_B, spanId: SPAN_B })] }, async () => 1);
      await withTask({ name: "second" }, async () => 2);
    });
    attachSpanLinks([new SpanLink({ traceId: TRACE_B, spanId: SPAN_B })]); // top level, outside any wrapper
    withTask({ name: "top" }, () => 3);
    withTask({ name: "top_again" }, () => 4);
    await telemetry.flush();
    const spans = await receiver.waitForSpans(5);
    expect(spanNamed(spans, "first.task").links.map((l) => l.spanId).sort()).toEqual([SPAN_A, SPAN_B].sort());
    expect(spanNamed(spans, "second.task").links).toEqual([]);
    expect(spanNamed(spans, "wf.workflow").links).toEqual([]);
    expect(spanNamed(spans, "top.task").links.map((l) => l.traceId)).toEqual([TRACE_B]);
    expect(spanNamed(spans, "top_again.task").links).toEqual([]);
  });
});
