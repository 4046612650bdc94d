// The callees of the Cloudflare-depth e2e: an instrumented Durable Object (RPC, fetch, hibernatable
// WebSockets), an instrumented WorkerEntrypoint, their uninstrumented twins, and an instrumented
// queue consumer. Each returns or records exactly what it received.
import { DurableObject, RpcTarget, WorkerEntrypoint } from "cloudflare:workers";
import { withTask } from "respan-tracing";
import { instrumentDurableObject, instrumentWorker, instrumentWorkerEntrypoint } from "respan-tracing/workers";

const options = (env) => ({ appName: "cf-depth-back", exportUrl: env.EXPORT_URL });

class RoomBase extends DurableObject {
  async add(...args) {
    // What the method received, as the caller sent it: count and values.
    return withTask({ name: `room_work_${args[0]}` }, () => ({ count: args.length, args }));
  }
  async fetch(request) {
    if (request.headers.get("upgrade") === "websocket") {
      const [client, server] = Object.values(new WebSocketPair());
      this.ctx.acceptWebSocket(server);
      return new Response(null, { status: 101, webSocket: client });
    }
    const body = await request.text();
    return Response.json({ body, n: new URL(request.url).searchParams.get("n"), work: withTask({ name: "room_fetch_work" }, () => body.length) });
  }
  async scheduleAlarm(delayMs) {
    await this.ctx.storage.setAlarm(Date.now() + delayMs);
    return "scheduled";
  }
  async alarm() {
    withTask({ name: "alarm_work" }, () => 1);
  }
  async webSocketMessage(ws, message) {
    withTask({ name: `ws_work_${message}` }, () => message);
    ws.send(`echo:${message}`);
  }
  async webSocketClose(ws, code) {
    ws.close(code, "bye");
  }
}
export const Room = instrumentDurableObject(RoomBase, options);

export class PlainRoom extends DurableObject {
  async add(...args) {
    return { count: args.length, args };
  }
}

class Counter extends RpcTarget {
  constructor(start) {
    super();
    this.value = Number(start);
  }
  increment(by) {
    return (this.value += by);
  }
}

class BillingBase extends WorkerEntrypoint {
  async charge(...args) {
    return withTask({ name: `billing_work_${args[0]}` }, () => ({ count: args.length, args }));
  }
  counter(start) {
    return new Counter(start);
  }
  async fail(n) {
    throw new Error(`charge ${n} declined`);
  }
  async fetch(request) {
    return Response.json({ n: new URL(request.url).searchParams.get("n"), traceparent: request.headers.get("traceparent") !== null });
  }
}
export const Billing = instrumentWorkerEntrypoint(BillingBase, options);

export class PlainBilling extends WorkerEntrypoint {
  async charge(...args) {
    return { count: args.length, args };
  }
}

export default instrumentWorker(
  {
    fetch: () => new Response("back"),
    async queue(batch) {
      for (const message of batch.messages) {
        // The consumer records the body it sees as an attribute of its own span.
        withTask({ name: "consume_job" }, () => message.body);
        message.ack();
      }
    },
  },
  options,
);
