// Callees of the adversarial Cloudflare-depth e2e: the same classes exported instrumented and plain,
// so the test can compare what user code sees through each.
import { DurableObject, RpcTarget, WorkerEntrypoint } from "cloudflare:workers";
import { withTask } from "respan-tracing";
import { instrumentDurableObject, instrumentWorker, instrumentWorkerEntrypoint } from "respan-tracing/workers";

const options = (env) => ({ appName: "cf-adv-back", exportUrl: env.EXPORT_URL });

export class DeclinedError extends Error {
  constructor(message) {
    super(message);
    this.name = "DeclinedError";
    this.code = 402;
  }
}

class Node extends RpcTarget {
  constructor(depth) {
    super();
    this.depth = depth;
  }
  child() {
    return new Node(this.depth + 1);
  }
  get level() {
    return this.depth;
  }
  describe(suffix) {
    return `node ${this.depth}${suffix}`;
  }
}

class StoreBase extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.log = [];
    ctx.blockConcurrencyWhile(async () => {
      this.started = (await ctx.storage.get("started")) ?? 0;
      await ctx.storage.put("started", this.started + 1);
    });
  }
  get answer() {
    return 42;
  }
  async remember(value) {
    this.log.push(value);
    return this.log.length;
  }
  async history() {
    return this.log;
  }
  async fetch(request) {
    if (request.headers.get("upgrade") === "websocket") {
      // A WebSocket without hibernation: its listener calls a plain method of the object.
      const [client, server] = Object.values(new WebSocketPair());
      server.accept();
      server.addEventListener("message", (event) => server.send(JSON.stringify(this.shout(event.data))));
      return new Response(null, { status: 101, webSocket: client });
    }
    return Response.json({ log: this.log, path: new URL(request.url).pathname });
  }
  async slowWork(tag, ms) {
    // Two callers of one object interleave here: each one's work must stay in its own trace.
    await new Promise((resolve) => setTimeout(resolve, ms));
    return withTask({ name: tag }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return tag;
    });
  }
  shout(text) {
    return { shouted: String(text).toUpperCase() };
  }
  async fail(message) {
    throw new DeclinedError(message);
  }
  node(depth) {
    return new Node(depth);
  }
}
export const Store = instrumentDurableObject(StoreBase, options);
export class PlainStore extends StoreBase {}
// Subclasses of an instrumented class (and of its plain twin) adding RPC methods of their own.
export class SubStore extends Store {
  async extra(x) {
    return `extra ${x}`;
  }
}
export class PlainSubStore extends PlainStore {
  async extra(x) {
    return `extra ${x}`;
  }
}
// An object whose first construction in the isolate fails (a transient error, e.g. storage unavailable).
let flakyConstructions = 0;
class FlakyBase extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    if (flakyConstructions++ === 0) throw new Error("storage unavailable, try again");
  }
  async work(tag) {
    return withTask({ name: tag }, () => tag);
  }
}
export const Flaky = instrumentDurableObject(FlakyBase, options);

// An object slow to construct: a probe through its binding stays out a while.
class SlowBase extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(() => new Promise((resolve) => setTimeout(resolve, 300)));
  }
  async work(tag) {
    return withTask({ name: tag }, () => tag);
  }
}
export const Slow = instrumentDurableObject(SlowBase, options);

// The same class instrumented twice.
export const TwiceStore = instrumentDurableObject(instrumentDurableObject(StoreBase, options), options);

class ApiBase extends WorkerEntrypoint {
  get answer() {
    return 42;
  }
  get nested() {
    return new Node(7);
  }
  async twice(callback, value) {
    return { doubled: await callback(value), again: await callback(value + 1) };
  }
  async readAll(stream) {
    return await new Response(stream).text();
  }
  node(depth) {
    return new Node(depth);
  }
  makeAdder(base) {
    return (x) => base + x;
  }
  streamOut(parts) {
    const encoder = new TextEncoder();
    return new ReadableStream({
      start(controller) {
        for (const part of parts) controller.enqueue(encoder.encode(part));
        controller.close();
      },
    });
  }
  async fail(message) {
    throw new DeclinedError(message);
  }
  async useStub(stub, value) {
    return await stub.remember(value);
  }
  async count(...args) {
    return args.length;
  }
}
export const Api = instrumentWorkerEntrypoint(ApiBase, options);
export class PlainApi extends ApiBase {}

// A callee redeployed without instrumentation while the caller's isolate lives on: after /undeploy
// the class no longer has the carrier method, exactly as an uninstrumented one.
class SkewBase extends WorkerEntrypoint {
  echo(x) {
    return `echo ${x}`;
  }
  fetch() {
    if (this instanceof Skew) delete Skew.prototype.__respanTracedCall;
    return new Response(`undeployed: ${typeof this.__respanTracedCall}`);
  }
}
export const Skew = instrumentWorkerEntrypoint(SkewBase, options);
export class PlainSkew extends SkewBase {}

export default instrumentWorker(
  {
    fetch: () => new Response("back"),
    // RPC to an object-style default export (one argument, then env and ctx).
    echo(argument) {
      return { received: argument };
    },
  },
  options,
);
