/**
 * The Python README's "Manual Span Creation" (examples #38–#40). Python's
 * `with tracer.start_as_current_span(name) as span:` is `tracer.startActiveSpan(name, (span) => …)`
 * with `span.end()` at the end of the callback.
 */
import { AsyncResource } from "node:async_hooks";
import { describe, expect, it } from "vitest";
import { getClient, task, workflow } from "../../src/runtime/node.js";
import { spanNamed, type ReceivedSpan } from "../helpers/otlp-receiver.js";
import { tracedWithReceiver } from "../helpers/setup.js";

const childrenOf = (spans: ReceivedSpan[], parent: string) => spans.filter((s) => s.parentSpanId === spanNamed(spans, parent).spanId).map((s) => s.name);

describe("Manual Span Creation (Python README)", () => {
  it("#38 Manual Span Creation: nested tracer spans with attributes, events and respan params", async () => {
    const { telemetry, receiver } = await tracedWithReceiver({ appName: "my-app", apiKey: "respan-xxx-38" });
    const executeDatabaseQuery = () => Array.from({ length: 42 }, (_, id) => ({ id })); // stand-ins
    const processResults = (rows: unknown[]) => rows.length;
    const tracer = getClient().getTracer();
    tracer.startActiveSpan("database_operation", (parentSpan) => {
      parentSpan.setAttribute("db.system", "postgresql");
      parentSpan.setAttribute("db.operation", "query");
      parentSpan.addEvent("Connection established");
      const result = tracer.startActiveSpan("execute_query", (querySpan) => {
        querySpan.setAttribute("db.statement", "SELECT * FROM users");
        querySpan.setAttribute("db.rows_affected", 42);
        getClient().updateCurrentSpan({ respanParams: { customer_identifier: "admin-user" } });
        const rows = executeDatabaseQuery();
        querySpan.end();
        return rows;
      });
      tracer.startActiveSpan("process_results", (processSpan) => {
        processSpan.setAttribute("result.count", result.length);
        processResults(result);
        processSpan.end();
      });
      parentSpan.addEvent("Operation completed", { total_time_ms: 150 });
      parentSpan.end();
    });
    await telemetry.flush();
    const spans = receiver.spans;
    expect(childrenOf(spans, "database_operation").sort()).toEqual(["execute_query", "process_results"]);
    const parent = spanNamed(spans, "database_operation");
    expect(parent.attributes).toMatchObject({ "db.system": "postgresql", "db.operation": "query" });
    expect(parent.events).toEqual([
      { name: "Connection established", attributes: {} },
      { name: "Operation completed", attributes: { total_time_ms: 150 } },
    ]);
    expect(spanNamed(spans, "execute_query").attributes).toMatchObject({ "db.statement": "SELECT * FROM users", "db.rows_affected": 42, "respan.customer_params.customer_identifier": "admin-user" });
    expect(spanNamed(spans, "process_results").attributes["result.count"]).toBe(42);
  });

  it("#39 Manual Span Creation (combining manual spans with decorators): tasks and tracer spans nest in one workflow", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    type Item = { id: number; valid: boolean };
    const validateData = task({ name: "validate_data" }, (data: Item[]) => data.filter((item) => item.valid));
    const finalizeResults = task({ name: "finalize_results" }, (data: Item[]) => ({ processed: data.length, data }));
    const processSingleItem = (item: Item) => item.id; // stand-in
    const hybridWorkflow = workflow({ name: "hybrid_workflow" }, (data: Item[]) => {
      const tracer = getClient().getTracer();
      const validatedData = validateData(data);
      tracer.startActiveSpan("custom_processing", (span) => {
        span.setAttribute("processing.type", "custom");
        span.setAttribute("data.size", validatedData.length);
        for (const item of validatedData) {
          tracer.startActiveSpan(`process_item_${item.id}`, (itemSpan) => {
            itemSpan.setAttribute("item.id", item.id);
            processSingleItem(item);
            itemSpan.end();
          });
        }
        span.end();
      });
      return finalizeResults(validatedData);
    });
    const result = hybridWorkflow([{ id: 1, valid: true }, { id: 2, valid: false }, { id: 3, valid: true }]);
    expect(result.processed).toBe(2);
    await telemetry.flush();
    const spans = receiver.spans;
    expect(childrenOf(spans, "hybrid_workflow.workflow").sort()).toEqual(["custom_processing", "finalize_results.task", "validate_data.task"]);
    expect(childrenOf(spans, "custom_processing").sort()).toEqual(["process_item_1", "process_item_3"]);
    expect(spanNamed(spans, "custom_processing").attributes).toMatchObject({ "processing.type": "custom", "data.size": 2 });
    expect(spanNamed(spans, "process_item_3").attributes["item.id"]).toBe(3);
    expect(spanNamed(spans, "process_item_3").attributes["traceloop.workflow.name"]).toBe("hybrid_workflow");
  });

  it("#40 Manual Span Creation (thread-safe context propagation): a captured context, attached in the worker, parents its spans", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    // No threads: a function bound to the process's root async context stands in for the worker
    // thread (like a new thread, it does not inherit the caller's context).
    const inWorkerThread = AsyncResource.bind((fn: () => void) => fn());
    const threadedWorkflow = workflow({ name: "threaded_workflow" }, () => {
      const tracer = getClient().getTracer();
      const currentContext = getClient().currentContext(); // otel_context.get_current()
      const workerFunction = () =>
        getClient().runWithContext(currentContext, () => // attach … detach
          tracer.startActiveSpan("worker_task", (span) => {
            span.setAttribute("thread.name", "worker-1");
            span.end();
          }),
        );
      inWorkerThread(workerFunction); // thread.start(); thread.join()
      inWorkerThread(() => tracer.startActiveSpan("unattached_task", (span) => span.end())); // without the context
    });
    threadedWorkflow();
    await telemetry.flush();
    const root = spanNamed(receiver.spans, "threaded_workflow.workflow");
    expect(spanNamed(receiver.spans, "worker_task").parentSpanId).toBe(root.spanId);
    expect(spanNamed(receiver.spans, "worker_task").attributes["thread.name"]).toBe("worker-1");
    expect(spanNamed(receiver.spans, "unattached_task").traceId).not.toBe(root.traceId);
  });
});
