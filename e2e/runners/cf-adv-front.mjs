// The caller of the adversarial Cloudflare-depth e2e. One script, two Workers: MODE "traced" wraps
// the handler with instrumentWorker and binds the instrumented callees; MODE "plain" runs the same
// handler bare against the plain callees. Each path reports what user code observed, so the test
// can require both to be equal.
import { getClient } from "respan-tracing";
import { instrumentWorker } from "respan-tracing/workers";

const describeError = (error) => ({ name: error?.name, message: String(error?.message), code: error?.code, isError: error instanceof Error });
const attempt = async (fn) => {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error: describeError(error) };
  }
};

const cases = {
  // Reading a property (a prototype getter) of a stub, not calling it.
  "svc-property": (env) => attempt(async () => await env.API.answer),
  "do-property": (env, n) => attempt(async () => await env.STORE.getByName(`prop-${n}`).answer),
  // A property of a property, then a call on it (workerd pipelines both).
  "svc-property-pipeline": (env) => attempt(async () => [await env.API.nested.level, await env.API.nested.describe("?")]),
  // A stub in a string or JSON (logging) makes no call and says the same.
  "stub-string": (env, n) => attempt(() => [String(env.API), `${env.STORE.getByName(`str-${n}`)}`]),
  "env-json": (env) => attempt(() => JSON.stringify({ ...env, MODE: "either" })),
  // RPC calls on one stub arrive in the order made (E-order), also while the binding's probe is out.
  "do-order-first": async (env, n) => {
    const stub = env.ORDER_STORE.getByName(`first-${n}`);
    await Promise.all([stub.remember("first"), stub.remember("second"), stub.remember("third")]);
    return { value: await stub.history() };
  },
  "subclass-method": (env, n) => attempt(() => env.SUB_STORE.getByName(`sub-${n}`).extra("x")),
  "subclass-inherited": (env, n) => attempt(() => env.SUB_STORE.getByName(`sub-${n}`).remember(n)),
  "twice-instrumented": (env, n) => attempt(async () => [await env.TWICE_STORE.getByName(`twice-${n}`).remember("x"), await env.TWICE_STORE.getByName(`twice-${n}`).history()]),
  "svc-dispose": (env) =>
    attempt(async () => {
      const pending = env.API.node(1);
      const node = await pending;
      return [typeof pending[Symbol.dispose], typeof node[Symbol.dispose], await node.describe("")];
    }),
  "do-stub-props": (env, n) =>
    attempt(() => {
      const stub = env.STORE.getByName(`props-${n}`);
      return [stub.name, stub.id.toString() === env.STORE.idFromName(`props-${n}`).toString(), typeof stub.id.equals];
    }),
  "do-get-options": (env, n) => attempt(() => env.STORE.get(env.STORE.idFromName(`hint-${n}`), { locationHint: "weur" }).remember("hinted")),
  "do-unique-id": (env) => attempt(() => env.STORE.get(env.STORE.newUniqueId()).remember("unique")),
  "callee-redeployed-plain": (env) =>
    attempt(async () => {
      const before = await env.SKEW.echo("before");
      const said = await (await env.SKEW.fetch("http://skew/undeploy")).text();
      return [before, await env.SKEW.echo("after"), said];
    }),
  // Bindings handed on as RPC arguments (workerd can send stubs and service bindings).
  "stub-as-arg": (env, n) => attempt(() => env.API.count(env.STORE.getByName(`arg-${n}`))),
  "service-as-arg": (env) => attempt(() => env.API.count(env.API)),
  "namespace-as-arg": (env) => attempt(() => env.API.count(env.STORE)),
  "stub-used-by-callee": (env, n) => attempt(() => env.API.useStub(env.STORE.getByName(`used-${n}`), "via callee")),
  "default-export-rpc": (env) => attempt(() => env.BACK.echo({ a: [1, "two"] })),
  // A method taken off the stub and called with call / apply / bind, or on its own.
  "method-call-apply-bind": (env) =>
    attempt(async () => {
      const count = env.API.count;
      return [await count(1, 2, 3, 4), await attempt(() => count.call(undefined, 1, 2)), await attempt(() => count.apply(undefined, [1, 2, 3])), await attempt(() => count.bind(undefined)(1))];
    }),
  // A function argument becomes a stub the callee calls back.
  "svc-callback": (env) => attempt(() => env.API.twice((x) => x * 2, 20)),
  "svc-stream-arg": (env) =>
    attempt(() =>
      env.API.readAll(
        new ReadableStream({
          start(c) {
            c.enqueue(new TextEncoder().encode("streamed "));
            c.enqueue(new TextEncoder().encode("argument"));
            c.close();
          },
        }),
      ),
    ),
  "svc-stream-result": (env) => attempt(async () => await new Response(await env.API.streamOut(["a", "b", "c"])).text()),
  "svc-function-result": (env) => attempt(async () => await (await env.API.makeAdder(40))(2)),
  "svc-pipeline-deep": (env) => attempt(() => env.API.node(1).child().child().describe("!")),
  "svc-pipeline-property": (env) => attempt(async () => await env.API.node(3).child().level),
  "svc-error": (env) => attempt(() => env.API.fail("card declined")),
  "do-error": (env, n) => attempt(() => env.STORE.getByName(`err-${n}`).fail("no funds")),
  "svc-class-arg": (env) => attempt(() => env.API.count(new (class Thing {})())),
  "svc-missing-method": (env) => attempt(() => env.API.notAMethod(1)),
  "env-untouched": (env) => ({ value: { keys: Object.keys(env).sort(), secret: env.SECRET, json: env.JSON_VAR, spread: Object.keys({ ...env }).sort() } }),
  "do-order-rpc": async (env, n) => {
    const stub = env.STORE.getByName(`order-rpc-${n}`);
    const calls = [stub.remember("a"), stub.remember("b"), stub.remember("c")];
    await Promise.all(calls);
    return { value: await stub.history() };
  },
};

// Queue cases: what each sends; the consumer (this same script) records what its handler saw.
const NEAR_LIMIT = 127_900;
const sends = {
  "envelope-lookalike": (q) => q.send({ __respanTraceEnvelope: 1, carrier: {}, body: "inner" }),
  "batch-iterator": (q) =>
    q.sendBatch(
      (function* () {
        yield { body: "g1" };
        yield { body: { g: 2 } };
      })(),
    ),
  // A body just under the 128 KB message limit: it fits as sent.
  "near-limit": (q) => q.send("x".repeat(NEAR_LIMIT)),
  "near-limit-batch": (q) => q.sendBatch([{ body: "y".repeat(NEAR_LIMIT) }, { body: "small" }]),
  "v8-types": (q) => q.send({ when: new Date(0), map: new Map([[1, "one"]]), bytes: new Uint8Array([1, 2]) }),
  // The consumer retries the whole batch at the first attempt: the redelivered body is the same.
  "retry-then-ack": (q) => q.send({ retryOnce: true, note: "again" }),
  "json-string": (q) => q.send("text body", { contentType: "json" }),
};
const describeBody = (body) => ({
  tag: Object.prototype.toString.call(body),
  stable: body === body,
  text: typeof body === "string" ? (body.length > 100 ? `${body[0]} x ${body.length}` : body) : JSON.stringify(body),
  date: body?.when instanceof Date ? body.when.getTime() : undefined,
  map: body?.map instanceof Map ? [...body.map] : undefined,
  bytes: body?.bytes instanceof Uint8Array ? [...body.bytes] : undefined,
});

const handler = {
  async queue(batch, env) {
    if (batch.messages.some((m) => m.body?.retryOnce && m.attempts === 1)) return batch.retryAll();
    const seen = batch.messages.map((m) => ({ case: batch.messages[0].body?.case, attempts: m.attempts, body: describeBody(m.body) }));
    await env.STORE.getByName("queue-log").remember(seen);
    batch.ackAll();
  },
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/queue-send") return Response.json(await attempt(async () => (await sends[url.searchParams.get("case")](env.ADV_JOBS), "sent")));
    if (url.pathname === "/queue-log") return Response.json(await env.STORE.getByName("queue-log").history());
    if (url.pathname === "/stream-forever" || url.pathname === "/stream-error") {
      // A stream that never ends (the client goes away), or one that fails after its first chunk.
      let sent = 0;
      const body = new ReadableStream({
        async pull(controller) {
          if (sent > 0) await new Promise((resolve) => setTimeout(resolve, 20));
          if (sent > 0 && url.pathname === "/stream-error") return controller.error(new Error("stream broke"));
          controller.enqueue(new TextEncoder().encode(`data: ${sent++}\n\n`));
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    }
    if (url.pathname === "/shared-object") {
      const tag = url.searchParams.get("tag");
      const got = await env.STORE.getByName("shared").slowWork(tag, Number(url.searchParams.get("ms")));
      return Response.json({ got, traceId: env.MODE === "traced" ? getClient().getCurrentTraceId() : undefined });
    }
    if (url.pathname === "/flaky") {
      const got = await attempt(() => env.FLAKY.getByName("flaky").work(url.searchParams.get("tag")));
      return Response.json({ got, traceId: getClient().getCurrentTraceId() });
    }
    if (url.pathname === "/manual-encoding") {
      // Already gzip-compressed bytes the runtime must send as they are (encodeBody: "manual").
      const gzipped = new Blob(["hello, compressed world"]).stream().pipeThrough(new CompressionStream("gzip"));
      return new Response(gzipped, { encodeBody: "manual", headers: { "content-encoding": "gzip", "content-type": "text/plain" } });
    }
    if (url.pathname === "/ignore-body") {
      // The caller never reads the object's response body.
      const response = await env.STORE.getByName("ignored").fetch("http://store/ignored");
      return Response.json({ status: response.status, traceId: env.MODE === "traced" ? getClient().getCurrentTraceId() : undefined });
    }
    if (url.pathname === "/slow") {
      const tag = url.searchParams.get("tag");
      const got = await attempt(() => env[url.searchParams.get("binding")].getByName(tag).work(tag));
      return Response.json({ got, traceId: env.MODE === "traced" ? getClient().getCurrentTraceId() : undefined });
    }
    if (url.pathname === "/ws") return env.STORE.getByName("ws").fetch(request);
    const run = cases[url.pathname.slice(1)];
    if (!run) return new Response("no such case", { status: 404 });
    return Response.json(await run(env, url.searchParams.get("n") ?? "0"));
  },
};

const traced = instrumentWorker(handler, (env) => ({ appName: "cf-adv-front", exportUrl: env.EXPORT_URL, tracedQueues: ["ADV_JOBS"] }));

export default {
  fetch(request, env, ctx) {
    return (env.MODE === "traced" ? traced : handler).fetch(request, env, ctx);
  },
  queue(batch, env, ctx) {
    return (env.MODE === "traced" ? traced : handler).queue(batch, env, ctx);
  },
};
