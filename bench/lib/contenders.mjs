/**
 * The contenders (respan-tracing and raw OpenTelemetry here; Traceloop and KeywordsAI in
 * external-contenders.mjs), each doing the SAME work per call: a workflow span with one task child, both
 * carrying the traceloop span kind, entity name, workflow name, (task) entity path, and the input
 * and output as JSON; batched OTLP/HTTP JSON export to `url` with each SDK's default settings.
 *
 * `setup(name, url, options)` returns { call(i), flow(i), flush(), shutdown(), stats() }: `call` is
 * sync (2 spans); `flow` is an async workflow awaiting 4 tasks, one per event-loop turn (5 spans).
 */
const WORKFLOW = "bench_workflow";
const TASK = "bench_task";
/** What the wrapped function does: a little string work, so the result is not a constant. */
const work = (i) => ({ answer: `result ${i}`, tokens: i % 97 });
const tick = () => new Promise((resolve) => setImmediate(resolve));
/** Tasks per `flow`: with the workflow, 5 spans. */
const FLOW_TASKS = 4;

/** Always run: both come from the repository's own lock. */
export const CONTENDERS = ["respan", "otel"];
/** Run where bench/contenders/ installed them (lib/external-contenders.mjs); (a) steady and (e) only. */
export const EXTERNAL_CONTENDERS = ["traceloop", "keywordsai"];

export async function setup(name, url, options = {}) {
  if (name === "respan") return setupRespan(url, options);
  if (name === "otel") return setupOtel(url, options);
  // Their queue bound is not set here: (b), which needs it, runs only respan and otel.
  if (name === "traceloop") return (await import("./external-contenders.mjs")).setupTraceloop(url);
  if (name === "keywordsai") return (await import("./external-contenders.mjs")).setupKeywordsai(url);
  throw new Error(`unknown contender ${name}`);
}

async function setupRespan(url, { maxQueueSize } = {}) {
  const { RespanTelemetry } = await import("../../dist/node/index.js");
  const telemetry = new RespanTelemetry({ appName: "bench", exportUrl: url, env: {}, logLevel: "critical", maxQueueSize });
  const task = telemetry.task({ name: TASK }, (q, i) => work(i));
  const workflow = telemetry.workflow({ name: WORKFLOW }, (q, i) => task(q, i));
  const flow = telemetry.workflow({ name: WORKFLOW }, async (q, i) => {
    let out;
    for (let k = 0; k < FLOW_TASKS; k++) {
      await tick();
      out = task(q, i);
    }
    return out;
  });
  return {
    call: (i) => workflow("question", i),
    flow: (i) => flow("question", i),
    flush: () => telemetry.flush({ timeoutMs: 20_000 }),
    shutdown: () => telemetry.shutdown({ timeoutMs: 5_000 }),
    stats: () => telemetry.getDeliveryStats(),
  };
}

async function setupOtel(url, { maxQueueSize } = {}) {
  const api = await import("@opentelemetry/api");
  const { AsyncLocalStorageContextManager } = await import("@opentelemetry/context-async-hooks");
  const { BasicTracerProvider, BatchSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
  const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
  const { resourceFromAttributes } = await import("@opentelemetry/resources");
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url }), maxQueueSize ? { maxQueueSize } : {});
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ "service.name": "bench" }), spanProcessors: [processor] });
  api.trace.setGlobalTracerProvider(provider);
  const tracer = provider.getTracer("bench");
  const input = (args) => JSON.stringify({ args, kwargs: {} });
  const runTask = (q, i) =>
    tracer.startActiveSpan(`${TASK}.task`, { attributes: { "traceloop.span.kind": "task", "traceloop.entity.name": TASK, "traceloop.workflow.name": WORKFLOW, "traceloop.entity.path": WORKFLOW } }, (span) => {
      span.setAttribute("traceloop.entity.input", input([q, i]));
      const out = work(i);
      span.setAttribute("traceloop.entity.output", JSON.stringify(out));
      span.end();
      return out;
    });
  const runWorkflow = (q, i) =>
    tracer.startActiveSpan(`${WORKFLOW}.workflow`, { attributes: { "traceloop.span.kind": "workflow", "traceloop.entity.name": WORKFLOW, "traceloop.workflow.name": WORKFLOW } }, (span) => {
      span.setAttribute("traceloop.entity.input", input([q, i]));
      const out = runTask(q, i);
      span.setAttribute("traceloop.entity.output", JSON.stringify(out));
      span.end();
      return out;
    });
  const runFlow = (q, i) =>
    tracer.startActiveSpan(`${WORKFLOW}.workflow`, { attributes: { "traceloop.span.kind": "workflow", "traceloop.entity.name": WORKFLOW, "traceloop.workflow.name": WORKFLOW } }, async (span) => {
      span.setAttribute("traceloop.entity.input", input([q, i]));
      let out;
      for (let k = 0; k < FLOW_TASKS; k++) {
        await tick();
        out = runTask(q, i);
      }
      span.setAttribute("traceloop.entity.output", JSON.stringify(out));
      span.end();
      return out;
    });
  return {
    call: (i) => runWorkflow("question", i),
    flow: (i) => runFlow("question", i),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
    stats: () => undefined, // BatchSpanProcessor does not count what it drops
  };
}
