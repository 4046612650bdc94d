// A Worker instrumented with respan-tracing/workers, as its README shows.
import { RespanTelemetry, SpanLink, attachSpanLinks, getClient, withTask, withWorkflow } from "respan-tracing";
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
  if (url.pathname === "/flush-in-wait-until") {
    // What a README without the wrapper suggests, after other waitUntil work: it must settle.
    ctx.waitUntil(sleep(20));
    withTask({ name: "before_flush" }, () => 1);
    ctx.waitUntil(getClient().flush().then(() => withTask({ name: "flush_settled" }, () => 1)));
    return new Response("ok");
  }
  if (url.pathname === "/flush-inside-work") {
    ctx.waitUntil(
      (async () => {
        await sleep(10);
        withTask({ name: "background_step" }, () => 1);
        await getClient().flush();
        withTask({ name: "after_inner_flush" }, () => 1);
      })(),
    );
    return new Response("ok");
  }
  if (url.pathname === "/links") {
    // Attached outside any wrapper; the other request running meanwhile must not take them.
    const n = Number(url.searchParams.get("n"));
    attachSpanLinks([new SpanLink({ traceId: String(n).repeat(32).slice(0, 32), spanId: String(n).repeat(16).slice(0, 16) })]);
    await sleep(Number(url.searchParams.get("delay")));
    withTask({ name: `linked_${n}` }, () => n);
    return new Response("ok");
  }
  if (url.pathname === "/buffer") {
    const n = Number(url.searchParams.get("n"));
    const buffer = getClient().getSpanBuffer(`job-${n}`);
    await buffer.run(async () => {
      await sleep(Number(url.searchParams.get("delay")));
      withTask({ name: `buffered_${n}` }, () => n);
    });
    return Response.json({ traceId: buffer.otelTraceId, spans: buffer.getAllSpans().map((s) => [s.name, s.spanContext().traceId]) });
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
