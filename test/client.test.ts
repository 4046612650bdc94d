import { SpanStatusCode } from "@opentelemetry/api";
import { describe, expect, it, vi } from "vitest";
import { getClient, withTask, withWorkflow } from "../src/runtime/node.js";
import { spanNamed } from "./helpers/otlp-receiver.js";
import { tracedWithReceiver } from "./helpers/setup.js";

describe("SPEC §4 the client", () => {
  it("reads the current trace and span ids inside a span, undefined outside", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const client = getClient();
    expect(client.getCurrentTraceId()).toBeUndefined();
    expect(client.getCurrentSpanId()).toBeUndefined();
    expect(client.isRecording()).toBe(false);
    let ids: { traceId?: string; spanId?: string } = {};
    await withTask({ name: "t" }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      ids = { traceId: client.getCurrentTraceId(), spanId: client.getCurrentSpanId() };
      expect(client.isRecording()).toBe(true);
    });
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(ids).toEqual({ traceId: span!.traceId, spanId: span!.spanId });
  });

  it("updateCurrentSpan: name, attributes, status, respanParams (snake and camel), metadata merged", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const client = getClient();
    withTask({ name: "original" }, () => {
      client.updateCurrentSpan({
        name: "renamed.task",
        attributes: { plain: "v", nested: { a: 1 }, list: [1, 2] },
        status: "ERROR",
        statusDescription: "model refused",
        respanParams: {
          customer_identifier: "user-42",
          customerEmail: "a@b.c",
          customer_name: "Ann",
          thread_identifier: "th-1",
          session_identifier: "se-1",
          custom_identifier: "cu-1",
          trace_group_identifier: "tg-1",
          environment: "test",
          metadata: { plan: "pro", n: 1 },
        },
      });
      client.updateCurrentSpan({ respanParams: { metadata: { n: 2, region: "eu" } } });
    });
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(span!.name).toBe("renamed.task");
    expect(span!.status).toMatchObject({ code: SpanStatusCode.ERROR, message: "model refused" });
    expect(span!.attributes).toMatchObject({
      plain: "v",
      nested: '{"a":1}',
      list: [1, 2],
      "respan.customer_params.customer_identifier": "user-42",
      "respan.customer_params.email": "a@b.c",
      "respan.customer_params.name": "Ann",
      "respan.threads.thread_identifier": "th-1",
      "respan.sessions.session_identifier": "se-1",
      "respan.span_params.custom_identifier": "cu-1",
      "respan.trace.trace_group_identifier": "tg-1",
      "respan.environment": "test",
    });
    expect(JSON.parse(span!.attributes["respan.metadata"] as string)).toEqual({ plan: "pro", n: 2, region: "eu" });
  });

  it("an input/output set through updateCurrentSpan wins over the captured one", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    withTask({ name: "override" }, (secret: string) => {
      getClient().updateCurrentSpan({
        attributes: { "traceloop.entity.input": JSON.stringify({ shown: "input" }), "traceloop.entity.output": JSON.stringify("shown output") },
      });
      return secret;
    });
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(span!.attributes["traceloop.entity.input"]).toBe('{"shown":"input"}');
    expect(span!.attributes["traceloop.entity.output"]).toBe('"shown output"');
  });

  it("addEvent and recordException land on the current span", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    withTask({ name: "evented" }, () => {
      getClient().addEvent("cache_miss", { key: "k1", detail: { tries: 2 } });
      getClient().recordException(new Error("handled"));
    });
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(span!.events.map((e) => e.name)).toEqual(["cache_miss", "exception"]);
    expect(span!.events[0]!.attributes).toEqual({ key: "k1", detail: '{"tries":2}' });
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("outside any span every method is a safe no-op (one debug log, no throw)", async () => {
    await tracedWithReceiver({ logLevel: "debug" });
    const info = vi.spyOn(console, "info").mockImplementation(() => undefined);
    const client = getClient();
    expect(() => {
      client.updateCurrentSpan({ name: "x", respanParams: { customer_identifier: "u" } });
      client.addEvent("e");
      client.recordException(new Error("x"));
    }).not.toThrow();
    expect(info.mock.calls.some(([line]) => String(line).includes("outside a recording span"))).toBe(true);
    info.mockRestore();
    await expect(client.flush()).resolves.toBeUndefined();
  });

  it("currentContext + runWithContext + the context option carry the parent explicitly", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const client = getClient();
    let captured = client.currentContext();
    await withWorkflow({ name: "outer" }, async () => {
      captured = client.currentContext();
    });
    // Later, outside the workflow's async scope:
    client.runWithContext(captured, () => withTask({ name: "via_run_with_context" }, () => 1));
    withTask({ name: "via_option", context: captured }, () => 2);
    await telemetry.flush();
    const spans = await receiver.waitForSpans(3);
    const outer = spanNamed(spans, "outer.workflow");
    expect(spanNamed(spans, "via_run_with_context.task").parentSpanId).toBe(outer.spanId);
    expect(spanNamed(spans, "via_option.task").parentSpanId).toBe(outer.spanId);
    expect(spanNamed(spans, "via_option.task").attributes["traceloop.workflow.name"]).toBe("outer");
  });

  it("getTracer() spans are exported and nest under wrappers", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    withTask({ name: "parent" }, () => {
      getClient().getTracer().startActiveSpan("custom.step", (span) => span.end());
    });
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    expect(spanNamed(spans, "custom.step").parentSpanId).toBe(spanNamed(spans, "parent.task").spanId);
    expect(telemetry.getTracer()).toBe(getClient().getTracer());
  });
});
