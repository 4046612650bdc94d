/**
 * The Python README's "Manual Span Buffering with SpanBuffer" (examples #41–#50). TypeScript has
 * no `with` blocks: `with client.get_span_buffer(id) as buffer:` is
 * `const buffer = client.getSpanBuffer(id); buffer.run(() => …)` (spans started inside `run` are
 * buffered; `createSpan` buffers wherever it is called). `process_spans` returns a Promise here.
 */
import { describe, expect, it } from "vitest";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { SpanLink, deserializeSpans, getClient, serializeSpans, withTask, type RespanTelemetry } from "../../src/runtime/node.js";
import { spanNamed, type OtlpReceiver } from "../helpers/otlp-receiver.js";
import { tracedWithReceiver } from "../helpers/setup.js";
import { json } from "./parity-helpers.js";

/** Flushes and returns what arrived (flush resolves once the receiver answered). */
async function exported(telemetry: RespanTelemetry, receiver: OtlpReceiver) {
  await telemetry.flush();
  return receiver.spans;
}

describe("SpanBuffer (Python README)", () => {
  it("#41 Basic Usage: created spans wait in the buffer and are exported only by processSpans, in one trace", async () => {
    const { telemetry, receiver } = await tracedWithReceiver({ appName: "my-app", apiKey: "respan-xxx-41" });
    const client = getClient();
    let collectedReadableSpans: ReadableSpan[] = [];
    const buffer = client.getSpanBuffer("trace-123");
    buffer.run(() => {
      buffer.createSpan("step1", { status: "completed", latency: 100 });
      buffer.createSpan("step2", { status: "completed", latency: 200 });
      buffer.createSpan("step3", { status: "completed", latency: 150 });
      collectedReadableSpans = buffer.getAllSpans();
    });
    expect(await exported(telemetry, receiver)).toEqual([]); // not exported yet
    const success = await client.processSpans(collectedReadableSpans);
    expect(success).toBe(true);
    const spans = await exported(telemetry, receiver);
    expect(spans.map((s) => s.name)).toEqual(["step1", "step2", "step3"]);
    expect(spanNamed(spans, "step2").attributes).toMatchObject({ status: "completed", latency: 200 });
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
  });

  it("#42 Transportable Spans Pattern: spans collected in one function are processed, or discarded, by business logic elsewhere", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const client = getClient();
    const collectWorkflowSpans = (errors: number) => {
      let collectedSpans: ReadableSpan[] = [];
      const buffer = client.getSpanBuffer("workflow-123");
      buffer.run(() => {
        buffer.createSpan("data_loading", { records: 1000 });
        buffer.createSpan("processing", { duration_ms: 500 });
        buffer.createSpan("validation", { errors });
        collectedSpans = buffer.getAllSpans();
      });
      return collectedSpans; // spans persist as a list
    };
    const allWorkflowsSuccessful = (spans: ReadableSpan[]) => spans.every((s) => s.attributes.errors === undefined || s.attributes.errors === 0);
    const shouldDebugFailures = () => false;
    const processBasedOnBusinessLogic = async (spans: ReadableSpan[]) => {
      if (allWorkflowsSuccessful(spans)) await client.processSpans(spans);
      else if (shouldDebugFailures()) await client.processSpans(spans);
      // else: discard (just don't process)
    };
    const good = collectWorkflowSpans(0);
    const bad = collectWorkflowSpans(3);
    await processBasedOnBusinessLogic(bad);
    await processBasedOnBusinessLogic(good);
    const spans = await exported(telemetry, receiver);
    expect(spans.map((s) => s.name)).toEqual(["data_loading", "processing", "validation"]);
    expect(spanNamed(spans, "validation").attributes.errors).toBe(0);
  });

  it("#43 Async Span Creation Pattern: spans made after the work ran carry its results", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const client = getClient();
    // Phase 1: the workflows ran untraced (stand-in results).
    const results = [
      { input: "a", output: { answer: 1 }, latency: 0.5, cost: 0.001 },
      { input: "b", output: { answer: 2 }, latency: 0.7, cost: 0.002 },
    ];
    // Phase 2: spans from the results.
    let collectedSpans: ReadableSpan[] = [];
    const buffer = client.getSpanBuffer("experiment-123");
    buffer.run(() => {
      results.forEach((result, i) => buffer.createSpan(`workflow_${i}`, { input: result.input, output: result.output, latency: result.latency, cost: result.cost }));
      collectedSpans = buffer.getAllSpans();
    });
    // Phase 3: process them.
    await client.processSpans(collectedSpans);
    const spans = await exported(telemetry, receiver);
    expect(spans.map((s) => s.name)).toEqual(["workflow_0", "workflow_1"]);
    // A dict attribute is stored as JSON, as the Python SDK does for non-primitive values.
    expect(spanNamed(spans, "workflow_1").attributes).toMatchObject({ input: "b", latency: 0.7, cost: 0.002 });
    expect(json(spanNamed(spans, "workflow_1").attributes.output)).toEqual({ answer: 2 });
  });

  it("#44 Span Links for Pause/Resume Workflows: a buffered span links back to the paused span, in a trace of its own", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const client = getClient();
    const resumeLink = new SpanLink({
      traceId: "0123456789abcdef0123456789abcdef",
      spanId: "0123456789abcdef",
      attributes: { "link.type": "resume", "link.workflow_run_id": "wr-123" },
    });
    let collectedSpans: ReadableSpan[] = [];
    const buffer = client.getSpanBuffer("resume-trace");
    buffer.run(() => {
      buffer.createSpan("workflow_execution", { status: "resumed" }, { links: [resumeLink] });
      collectedSpans = buffer.getAllSpans();
    });
    await client.processSpans(collectedSpans);
    const [span] = await exported(telemetry, receiver);
    expect(span!.links).toEqual([{ traceId: "0123456789abcdef0123456789abcdef", spanId: "0123456789abcdef", attributes: { "link.type": "resume", "link.workflow_run_id": "wr-123" } }]);
    expect(span!.traceId).not.toBe("0123456789abcdef0123456789abcdef");
    expect(span!.attributes.status).toBe("resumed");
  });

  it("#45 Trace Continuation (Workflow Pause/Resume): with parentTraceId/parentSpanId the buffered spans join the paused trace", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const client = getClient();
    const prePauseTraceId = "0123456789abcdef0123456789abcdef";
    const prePauseSpanId = "fedcba9876543210";
    const buffer = client.getSpanBuffer("workflow-run-456", { parentTraceId: prePauseTraceId, parentSpanId: prePauseSpanId });
    buffer.run(() => {
      buffer.createSpan("resumed_step_1", { status: "running" });
      buffer.createSpan("resumed_step_2", { status: "completed" });
    });
    // The Python example stops here; processing the buffer shows where the spans belong.
    await client.processSpans(buffer);
    const spans = await exported(telemetry, receiver);
    expect(spans.map((s) => [s.name, s.traceId, s.parentSpanId])).toEqual([
      ["resumed_step_1", prePauseTraceId, prePauseSpanId],
      ["resumed_step_2", prePauseTraceId, prePauseSpanId],
    ]);
  });

  it("#46 Inspect Before Export: getSpanCount and getAllSpans show the buffered spans and their attributes", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const client = getClient();
    const printed: string[] = [];
    let collectedSpans: ReadableSpan[] = [];
    const buffer = client.getSpanBuffer("trace-123");
    buffer.run(() => {
      buffer.createSpan("task1", { status: "completed", score: 0.95 });
      buffer.createSpan("task2", { status: "failed", score: 0.45 });
      buffer.createSpan("task3", { status: "completed", score: 0.88 });
      printed.push(`Buffered ${buffer.getSpanCount()} spans`);
      for (const span of buffer.getAllSpans()) printed.push(`  - ${span.name}: ${span.attributes.status} ${span.attributes.score}`);
      collectedSpans = buffer.getAllSpans();
    });
    expect(printed).toEqual(["Buffered 3 spans", "  - task1: completed 0.95", "  - task2: failed 0.45", "  - task3: completed 0.88"]);
    if (collectedSpans.length > 0) await client.processSpans(collectedSpans);
    expect((await exported(telemetry, receiver)).map((s) => s.name)).toEqual(["task1", "task2", "task3"]);
  });

  it("#47 SpanBuffer API (transportable spans): extracted spans can be processed anywhere, also after serializing them", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const client = getClient();
    let collectedSpans: ReadableSpan[] = [];
    const buffer = client.getSpanBuffer("trace-123");
    buffer.run(() => {
      buffer.createSpan("task", { result: "success" });
      collectedSpans = buffer.getAllSpans();
    });
    const shouldExport = () => true;
    // "Process anywhere": here through JSON, as between a Worker or browser and a server.
    const shipped = serializeSpans(collectedSpans);
    if (shouldExport()) expect(await client.processSpans(deserializeSpans(shipped))).toBe(true);
    const [span] = await exported(telemetry, receiver);
    expect([span!.name, span!.attributes.result, span!.spanId]).toEqual(["task", "success", collectedSpans[0]!.spanContext().spanId]);
  });

  it("#48 Important: Context Isolation: tracer spans inside the buffer are buffered, those before and after are exported normally", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const client = getClient();
    const tracer = client.getTracer();
    tracer.startActiveSpan("before_buffer", (span) => span.end());
    let collectedSpans: ReadableSpan[] = [];
    let total = 0;
    const buffer = client.getSpanBuffer("trace-123");
    buffer.run(() => {
      buffer.createSpan("span1", {});
      tracer.startActiveSpan("span2", (span) => span.end()); // also buffered
      total = buffer.getSpanCount();
      collectedSpans = buffer.getAllSpans();
    });
    expect(total).toBe(2);
    expect((await exported(telemetry, receiver)).map((s) => s.name)).toEqual(["before_buffer"]);
    await client.processSpans(collectedSpans);
    tracer.startActiveSpan("after_buffer", (span) => span.end());
    const spans = await exported(telemetry, receiver);
    expect(spans.map((s) => s.name)).toEqual(["before_buffer", "span1", "span2", "after_buffer"]);
    expect(spanNamed(spans, "span1").traceId).toBe(spanNamed(spans, "span2").traceId);
    expect(spanNamed(spans, "span1").traceId).not.toBe(spanNamed(spans, "before_buffer").traceId);
  });

  it("#49 Use Cases (backend workflow system): process the buffer, hand its spans to an internal system, or clear it", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const internal: string[] = [];
    const exportToInternalSystem = (spans: ReadableSpan[]) => (internal.push(...spans.map((s) => s.name)), true);
    const cleared: number[] = [];
    const ingestWorkflowOutput = async (workflowResult: { input: string; output: string; steps: Array<{ name: string; input: string; output: string; latency: number; cost: number }> }, traceId: string, orgId: string, experimentId: string) => {
      const client = getClient();
      const buffer = client.getSpanBuffer(traceId);
      buffer.run(() => {
        buffer.createSpan("workflow_execution", { input: workflowResult.input, output: workflowResult.output, experiment_id: experimentId, organization_id: orgId });
        for (const step of workflowResult.steps) {
          buffer.createSpan(`step_${step.name}`, { input: step.input, output: step.output, latency_ms: step.latency, cost_usd: step.cost });
        }
      });
      let success: boolean;
      if (experimentId === "exp-respan") {
        success = await client.processSpans(buffer); // the buffer itself, as in Python
      } else if (orgId === "org-internal") {
        success = exportToInternalSystem(buffer.getAllSpans());
      } else {
        buffer.clearSpans();
        cleared.push(buffer.getSpanCount());
        success = true;
      }
      return success;
    };
    const result = { input: "q", output: "a", steps: [{ name: "fetch", input: "q", output: "docs", latency: 12, cost: 0.01 }, { name: "answer", input: "docs", output: "a", latency: 30, cost: 0.02 }] };
    expect(await ingestWorkflowOutput(result, "t-1", "org-1", "exp-respan")).toBe(true);
    expect(await ingestWorkflowOutput(result, "t-2", "org-internal", "exp-other")).toBe(true);
    expect(await ingestWorkflowOutput(result, "t-3", "org-3", "exp-other")).toBe(true);
    const spans = await exported(telemetry, receiver);
    expect(spans.map((s) => s.name)).toEqual(["workflow_execution", "step_fetch", "step_answer"]);
    expect(spanNamed(spans, "workflow_execution").attributes).toMatchObject({ experiment_id: "exp-respan", organization_id: "org-1" });
    expect(spanNamed(spans, "step_answer").attributes).toMatchObject({ latency_ms: 30, cost_usd: 0.02 });
    // One trace; each createSpan ends at once, so the steps are siblings of workflow_execution, as in Python.
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    expect(spans.map((s) => s.parentSpanId)).toEqual([undefined, undefined, undefined]);
    expect(internal).toEqual(["workflow_execution", "step_fetch", "step_answer"]);
    expect(cleared).toEqual([0]);
  });

  it("#50 Use Cases (experiment logging): run spans are exported only when the experiment succeeded", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const client = getClient();
    const logExperiment = async (experimentId: string, experimentResults: Array<{ config: object; metrics: object; success: boolean }>) => {
      let collectedSpans: ReadableSpan[] = [];
      const buffer = client.getSpanBuffer(`experiment-${experimentId}`);
      buffer.run(() => {
        experimentResults.forEach((result, i) => buffer.createSpan(`run_${i}`, { config: result.config, metrics: result.metrics, success: result.success }));
        collectedSpans = buffer.getAllSpans();
      });
      const experimentWasSuccessful = experimentResults.every((r) => r.success);
      if (experimentWasSuccessful) await client.processSpans(collectedSpans);
      // else: just don't process (the spans are garbage collected)
    };
    await logExperiment("a", [{ config: { temperature: 0.2 }, metrics: { accuracy: 0.9 }, success: true }]);
    await logExperiment("b", [{ config: { temperature: 0.9 }, metrics: { accuracy: 0.1 }, success: false }]);
    const spans = await exported(telemetry, receiver);
    expect(spans.map((s) => s.name)).toEqual(["run_0"]);
    expect(json(spans[0]!.attributes.config)).toEqual({ temperature: 0.2 });
    expect(spans[0]!.attributes.success).toBe(true);
    // Buffered spans never leave on their own: a task run inside a buffer that is never processed stays local.
    getClient().getSpanBuffer("never-processed").run(() => withTask({ name: "local_only" }, () => 1));
    expect((await exported(telemetry, receiver)).map((s) => s.name)).toEqual(["run_0"]);
  });
});
