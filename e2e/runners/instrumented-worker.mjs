// A Worker instrumented with respan-tracing/workers, as its README shows.
import { RespanTelemetry, getClient, withTask, withWorkflow } from "respan-tracing";
import { instrumentWorker } from "respan-tracing/workers";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function handle(request, env, ctx) {
  const url = new URL(request.url);
  if (url.pathname === "/three-spans") {
    // No I/O at all: the spans must still be exported after the response.
    withWorkflow({ name: "no_io" }, () => {
      withTask({ name: "step_a" }, () => 1);
      withTask({ name: "step_b" }, () => 2);
    });
    return new Response("ok");
  }
  if (url.pathname === "/background") {
    ctx.waitUntil(sleep(30).then(() => withTask({ name: "background_work" }, () => "done")));
    return new Response("accepted", { status: 202 });
  }
  if (url.pathname === "/stream") {
    const encoder = new TextEncoder();
    const body = new ReadableStream({
      async start(controller) {
        // The "LLM" span starts with the response and ends after it has begun streaming.
        await withTask({ name: "llm_stream" }, async () => {
          for (const word of ["Ahoy", " there", " matey"]) {
            controller.enqueue(encoder.encode(`data: ${word}\n\n`));
            await sleep(10);
          }
        });
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  }
  if (url.pathname === "/trace-id") return Response.json({ traceId: getClient().getCurrentTraceId() });
  if (url.pathname === "/fail") throw new Error("handler failed");
  return new Response("not found", { status: 404 });
}

export default instrumentWorker(
  {
    fetch: handle,
    async scheduled(controller) {
      withTask({ name: "cron_job" }, () => controller.cron);
    },
    async queue(batch) {
      for (const message of batch.messages) withTask({ name: "consume_message" }, () => message.body);
    },
  },
  (env) => ({ appName: "instrumented-worker", exportUrl: env.EXPORT_URL }),
);

export { RespanTelemetry };
