// The calling Worker of the Cloudflare-depth e2e: instrumented; reaches a Durable Object, a
// WorkerEntrypoint and two queues through `env`, each both instrumented and not.
import { getClient, withTask } from "respan-tracing";
import { instrumentWorker } from "respan-tracing/workers";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const traceId = () => getClient().getCurrentTraceId();
const ARGS = [2, { nested: [1, "two", null] }, "three"];

async function handle(request, env) {
  const url = new URL(request.url);
  const n = url.searchParams.get("n") ?? "0";
  switch (url.pathname) {
    case "/do-fetch": {
      const response = await env.ROOM.getByName(`room-${n}`).fetch(`http://room/echo?n=${n}`, { method: "POST", body: `hello ${n}` });
      return Response.json({ traceId: traceId(), got: await response.json() });
    }
    case "/do-rpc": {
      await sleep(Number(url.searchParams.get("delay") ?? 0));
      const got = await env.ROOM.getByName(`room-${n}`).add(n, ...ARGS);
      return Response.json({ traceId: traceId(), got });
    }
    case "/plain-do-rpc":
      return Response.json({ traceId: traceId(), got: await env.PLAIN_ROOM.getByName("plain").add(n, ...ARGS) });
    case "/svc-rpc":
      return Response.json({ traceId: traceId(), got: await env.SVC.charge(n, ...ARGS) });
    case "/svc-fetch": {
      const response = await env.SVC.fetch(`http://billing/invoice?n=${n}`);
      return Response.json({ traceId: traceId(), got: await response.json() });
    }
    case "/plain-svc-rpc":
      return Response.json({ traceId: traceId(), got: await env.PLAIN_SVC.charge(n, ...ARGS) });
    case "/plain-default-rpc":
      // An object-style handler's RPC functions take exactly one argument (workerd's rule).
      return Response.json({ traceId: traceId(), got: await env.PLAIN_DEFAULT.echo({ n, args: ARGS }) });
    case "/alarm":
      return Response.json({ traceId: traceId(), got: await env.ROOM.getByName(`alarm-${n}`).scheduleAlarm(50) });
    case "/pipelined":
      // Promise pipelining: a method of the not-yet-resolved result.
      return Response.json({ traceId: traceId(), got: await env.SVC.counter(n).increment(5) });
    case "/rpc-error":
      try {
        await env.SVC.fail(n);
        return Response.json({ traceId: traceId(), got: "no error" });
      } catch (error) {
        return Response.json({ traceId: traceId(), got: String(error.message) });
      }
    case "/queue": {
      await env.JOBS.send({ job: "one", n, when: "now" });
      await env.JOBS.sendBatch([{ body: { job: "two", n } }, { body: "three" }]);
      // A text body cannot be nested in an envelope: it goes as is, untraced.
      await env.JOBS.send(`four ${n}`, { contentType: "text" });
      await env.PLAIN_JOBS.send({ plain: true, n });
      return Response.json({ traceId: traceId() });
    }
    case "/ws":
      return env.ROOM.getByName(`ws-${n}`).fetch(request);
    case "/stream": {
      // A body that outlives the streamPartialAfterMs deadline (300 ms here).
      const encoder = new TextEncoder();
      const body = new ReadableStream({
        async start(controller) {
          await withTask({ name: "slow_stream" }, async () => {
            for (let i = 0; i < 6; i++) {
              controller.enqueue(encoder.encode(`data: ${i}\n\n`));
              await sleep(150);
            }
          });
          controller.close();
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    }
    default:
      return new Response("not found", { status: 404 });
  }
}

export default instrumentWorker({ fetch: handle }, (env) => ({
  appName: "cf-depth-front",
  exportUrl: env.EXPORT_URL,
  tracedQueues: ["JOBS"],
  streamPartialAfterMs: 300,
}));
