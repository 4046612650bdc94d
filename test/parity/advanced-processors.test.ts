/**
 * The Python README's "Advanced Features → Multiple Processors (Routing Spans)" (examples
 * #32–#35). `add_processor(exporter=, name=, filter_fn=)` is `addProcessor({ exporter, name,
 * filter })`; exporters are OpenTelemetry JS SpanExporters (`export(spans, resultCallback)`).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { describe, expect, it } from "vitest";
import { RespanSpanExporter, RespanTelemetry, getClient, type RespanTelemetry as Telemetry } from "../../src/runtime/node.js";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { spanNamed, startOtlpReceiver } from "../helpers/otlp-receiver.js";
import { onCleanup, tracedWithReceiver } from "../helpers/setup.js";
import { FileExporter, MemoryExporter, sleep } from "./parity-helpers.js";

/** kai with its default Respan destination, plus "production" (a second Respan key) and "debug" (a file). */
async function quickExample() {
  const { telemetry: kai, receiver: defaultReceiver } = await tracedWithReceiver({ appName: "my-app", apiKey: "your-key-32" });
  const production = await startOtlpReceiver();
  onCleanup(() => production.close());
  kai.addProcessor({ exporter: new RespanSpanExporter({ endpoint: `${production.url}/api`, apiKey: "prod-key-32" }), name: "production" });
  const debug = new FileExporter("spans.json");
  kai.addProcessor({ exporter: debug, name: "debug" });
  return { kai, defaultReceiver, production, debug };
}

const durationNs = (span: ReadableSpan) => span.duration[0] * 1e9 + span.duration[1];

describe("Multiple Processors (Python README)", () => {
  it("#32 Quick Example: processors=\"debug\" goes to the file only; [\"production\", \"debug\"] to both; the default gets neither", async () => {
    const { kai, defaultReceiver, production, debug } = await quickExample();
    const debugTask = kai.task({ processors: "debug" }, function debug_task() {});
    const importantTask = kai.task({ processors: ["production", "debug"] }, function important_task() {});
    debugTask();
    importantTask();
    await kai.flush();
    expect(debug.lines()).toEqual(["debug_task.task", "important_task.task"]);
    expect(production.spans.map((s) => s.name)).toEqual(["important_task.task"]);
    expect(production.requests[0]!.headers.authorization).toBe("Bearer prod-key-32");
    expect(defaultReceiver.spans).toEqual([]);
  });

  it("#33 Quick Example (processors inheritance): tasks inherit the workflow's processors unless they set their own", async () => {
    const { kai, defaultReceiver, production, debug } = await quickExample();
    const pipeline = kai.workflow({ name: "my_pipeline", processors: ["production", "debug"] }, () => {
      const step1 = kai.task({ name: "step_1" }, () => undefined); // inherits ["production", "debug"]
      const step2 = kai.task({ name: "step_2", processors: "debug" }, () => undefined); // explicit override
      step1();
      step2();
    });
    pipeline();
    await kai.flush();
    expect(production.spans.map((s) => s.name).sort()).toEqual(["my_pipeline.workflow", "step_1.task"]);
    expect(debug.lines().sort()).toEqual(["my_pipeline.workflow", "step_1.task", "step_2.task"]);
    expect(spanNamed(production.spans, "step_1.task").attributes["respan.processors"]).toEqual(["production", "debug"]);
    expect(defaultReceiver.spans).toEqual([]);
  });

  it("#34 Advanced: Custom Filter Functions: name AND filter must both pass; a nameless filter picks among unrouted spans", async () => {
    const { telemetry: kai, receiver } = await tracedWithReceiver({ appName: "my-app" });
    // Example 1: slow spans of "debug". 50 ms here instead of Python's 1 s, to keep the test quick.
    const SLOW_NS = 50_000_000;
    const slowDebug = new MemoryExporter();
    kai.addProcessor({ exporter: slowDebug, name: "debug", filter: (span) => durationNs(span) > SLOW_NS });
    // Example 2: "staging" spans whose env attribute is staging.
    const staging = new MemoryExporter();
    kai.addProcessor({ exporter: staging, name: "staging", filter: (span) => span.attributes.env === "staging" });
    // Example 3: no name: the filter alone decides.
    const errors = new MemoryExporter();
    kai.addProcessor({ exporter: errors, filter: (span) => span.name.toLowerCase().includes("error") });

    await kai.withTask({ name: "slow_debug", processors: "debug" }, () => sleep(80));
    await kai.withTask({ name: "fast_debug", processors: "debug" }, () => undefined);
    await kai.withTask({ name: "slow_unrouted" }, () => sleep(80));
    for (const env of ["staging", "production"]) {
      kai.withTask({ name: `deploy_${env}`, processors: "staging" }, () => getClient().updateCurrentSpan({ attributes: { env } }));
    }
    kai.withTask({ name: "handle_error" }, () => undefined);
    // Differs from Python: a nameless processor sees only spans not routed with `processors`.
    kai.withTask({ name: "debug_error", processors: "debug" }, () => undefined);
    await kai.flush();

    expect(slowDebug.names).toEqual(["slow_debug.task"]);
    expect(staging.names).toEqual(["deploy_staging.task"]);
    expect(errors.names).toEqual(["handle_error.task"]);
    expect(receiver.spans.map((s) => s.name).sort()).toEqual(["handle_error.task", "slow_unrouted.task"]);
  });

  it("#35 Initialization Pattern: a customExporter reads per-request context (AsyncLocalStorage for contextvars) when exporting", async () => {
    // Python's ContextVar is AsyncLocalStorage in Node: isolated per request, carried across await.
    const requestContext = new AsyncLocalStorage<{ org_id: string; user_id: string; experiment_id: string }>();
    const sent: Array<Record<string, unknown>> = [];
    const backendExporter = new MemoryExporter((spans) => {
      const ctx = requestContext.getStore();
      for (const span of spans) sent.push({ name: span.name, attributes: { ...span.attributes }, org_id: ctx?.org_id, user_id: ctx?.user_id, experiment_id: ctx?.experiment_id });
    });
    const telemetry: Telemetry = new RespanTelemetry({ appName: "backend", customExporter: backendExporter, isBatchingEnabled: false, env: {} });
    onCleanup(() => telemetry.shutdown());

    const processRequest = async (orgId: string) => `done for ${orgId}`; // stand-in for the request's work
    const handleApiRequest = (orgId: string, userId: string, experimentId: string) =>
      requestContext.run({ org_id: orgId, user_id: userId, experiment_id: experimentId }, () =>
        getClient()
          .getTracer()
          .startActiveSpan("api_request", async (span) => {
            try {
              return await processRequest(orgId);
            } finally {
              span.end();
            }
          }),
      );
    const results = await Promise.all([handleApiRequest("org-1", "user-1", "exp-1"), handleApiRequest("org-2", "user-2", "exp-2")]);
    expect(results).toEqual(["done for org-1", "done for org-2"]);
    expect(sent.map(({ name, org_id, user_id, experiment_id }) => [name, org_id, user_id, experiment_id]).sort()).toEqual([
      ["api_request", "org-1", "user-1", "exp-1"],
      ["api_request", "org-2", "user-2", "exp-2"],
    ]);
  });
});
