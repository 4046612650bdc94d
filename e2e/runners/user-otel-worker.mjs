// A Worker that uses OpenTelemetry's API itself beside respan-tracing/workers, as apps and
// libraries do: a tracer taken at module scope (before instrumentWorker has set anything up), one
// taken in the handler, and a diag logger registered at startup. Their spans must join our trace.
import { DiagConsoleLogger, DiagLogLevel, context, diag, trace } from "@opentelemetry/api";
import { withTask, withWorkflow } from "respan-tracing";
import { instrumentWorker } from "respan-tracing/workers";

// Registers the first global (the "diag" slot) from the app's copy of the API, before we do.
diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.ERROR);
const moduleTracer = trace.getTracer("user-module-scope");

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function handle(request) {
  const report = {};
  await withWorkflow({ name: "user_api_flow" }, async () => {
    await moduleTracer.startActiveSpan("module_tracer_span", async (span) => {
      report.moduleSpanRecording = span.isRecording();
      await sleep(5);
      // Our wrapper inside the app's own active span: context flows both ways.
      withTask({ name: "inside_module_span" }, () => 1);
      span.end();
    });
    await withTask({ name: "outer_task" }, async () => {
      await sleep(5);
      trace.getTracer("user-handler").startActiveSpan("handler_tracer_span", (span) => {
        report.handlerSpanRecording = span.isRecording();
        report.activeIsHandlerSpan = trace.getSpan(context.active()) === span;
        span.end();
      });
    });
  });
  report.path = new URL(request.url).pathname;
  return Response.json(report);
}

export default instrumentWorker({ fetch: handle }, (env) => ({ appName: "user-otel-worker", exportUrl: env.EXPORT_URL }));
