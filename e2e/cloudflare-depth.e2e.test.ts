/**
 * Cloudflare depth (SPEC §11) in workerd (Miniflare): an instrumented Worker calls a Durable Object
 * (fetch, RPC, hibernatable WebSockets), a WorkerEntrypoint over a service binding (fetch, RPC,
 * pipelined RPC) and two queues. Every call's spans land in the calling request's trace under a
 * CLIENT/PRODUCER span of their own; callees, instrumented or not, receive exactly what was sent.
 */
import { Miniflare } from "miniflare";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../test/helpers/otlp-receiver.js";
import { bundleRunner } from "./harness/consumer.js";
import { settle } from "./harness/processes.js";

const ARGS = [2, { nested: [1, "two", null] }, "three"];
const KIND = { SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };
const QUEUE_BATCH_TIMEOUT_S = 0.2;


describe("Cloudflare depth: DOs, RPC, queues and WebSockets in one trace (workerd)", () => {
  let receiver: OtlpReceiver;
  let recorder: Server;
  const recorded: unknown[] = [];
  let mf: Miniflare;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    recorder = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        recorded.push(...(JSON.parse(body) as unknown[]));
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => recorder.listen(0, "127.0.0.1", resolve));
    const recordUrl = `http://127.0.0.1:${(recorder.address() as { port: number }).port}/record`;
    const bundle = async (name: string) =>
      readFileSync(await bundleRunner(`${name}.mjs`, `${name}.bundle.mjs`, { conditions: ["workerd", "worker", "browser"], platform: "browser" }), "utf8");
    const common = { modules: true, compatibilityDate: "2025-09-01", compatibilityFlags: ["nodejs_als"], bindings: { EXPORT_URL: `${receiver.url}/v1/traces`, RECORD_URL: recordUrl } };
    mf = new Miniflare({
      workers: [
        {
          ...common,
          name: "front",
          script: await bundle("cf-depth-front"),
          durableObjects: { ROOM: { className: "Room", scriptName: "back" }, PLAIN_ROOM: { className: "PlainRoom", scriptName: "back" } },
          serviceBindings: { SVC: { name: "back", entrypoint: "Billing" }, PLAIN_SVC: { name: "back", entrypoint: "PlainBilling" }, PLAIN_DEFAULT: "plain" },
          queueProducers: { JOBS: { queueName: "jobs" }, PLAIN_JOBS: { queueName: "plain-jobs" } },
        },
        {
          ...common,
          name: "back",
          script: await bundle("cf-depth-back"),
          durableObjects: { ROOM: "Room", PLAIN_ROOM: "PlainRoom" },
          queueConsumers: { jobs: { maxBatchTimeout: QUEUE_BATCH_TIMEOUT_S } },
        },
        { ...common, name: "plain", script: await bundle("cf-depth-plain"), queueConsumers: { "plain-jobs": { maxBatchTimeout: QUEUE_BATCH_TIMEOUT_S } } },
      ],
    });
  });

  afterAll(async () => {
    await mf?.dispose();
    await receiver?.close();
    await new Promise((resolve) => recorder?.close(resolve));
  });

  const call = async (path: string) => (await (await mf.dispatchFetch(`http://front${path}`)).json()) as { traceId: string; got: unknown };
  const inTrace = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);
  const byId = (id: string | undefined) => receiver.spans.find((s) => s.spanId === id);
  /** The chain of span names from `span` up to its trace's root. */
  const ancestry = (span: ReceivedSpan | undefined): string[] => {
    const names: string[] = [];
    for (let s = span, hops = 0; s && hops < 20; s = byId(s.parentSpanId), hops++) names.push(s.name);
    return names;
  };
  const spanByName = (name: string) => receiver.spans.find((s) => s.name === name);
  /** The span, once it and every ancestor up to its trace's root arrived (callee and caller export separately, in either order). */
  const waitFor = async (traceId: string, name: string) => {
    const rooted = () => {
      let s = inTrace(traceId).find((span) => span.name === name);
      for (let hops = 0; s?.parentSpanId && hops < 20; hops++) s = byId(s.parentSpanId);
      return s !== undefined && !s.parentSpanId;
    };
    await settle(rooted);
    return inTrace(traceId).find((s) => s.name === name);
  };

  it("DO RPC: the callee gets exactly the arguments; its spans are in the caller's trace under a CLIENT span", async () => {
    const { traceId, got } = await call("/do-rpc?n=7");
    expect(got).toEqual({ count: 4, args: ["7", ...ARGS] });
    const work = await waitFor(traceId, "room_work_7.task");
    expect(ancestry(work)).toEqual(["room_work_7.task", "RoomBase.add", "ROOM.add", "GET /do-rpc"]);
    expect(byId(work?.parentSpanId)).toMatchObject({ kind: KIND.SERVER, attributes: { "rpc.method": "add", "cloudflare.durable_object.name": "room-7" } });
    expect(byId(byId(work?.parentSpanId)?.parentSpanId)?.kind).toBe(KIND.CLIENT);
  });

  it("DO fetch: the body arrives unchanged and the DO's request span is a child of the caller's CLIENT span", async () => {
    const { traceId, got } = await call("/do-fetch?n=3");
    expect(got).toEqual({ body: "hello 3", n: "3", work: 7 });
    const work = await waitFor(traceId, "room_fetch_work.task");
    expect(ancestry(work)).toEqual(["room_fetch_work.task", "POST /echo", "POST ROOM", "GET /do-fetch"]);
  });

  it("service binding RPC and fetch to a WorkerEntrypoint join the caller's trace", async () => {
    const rpc = await call("/svc-rpc?n=4");
    expect(rpc.got).toEqual({ count: 4, args: ["4", ...ARGS] });
    expect(ancestry(await waitFor(rpc.traceId, "billing_work_4.task"))).toEqual(["billing_work_4.task", "BillingBase.charge", "SVC.charge", "GET /svc-rpc"]);
    const fetched = await call("/svc-fetch?n=5");
    expect(fetched.got).toEqual({ n: "5", traceparent: true });
    expect(ancestry(await waitFor(fetched.traceId, "GET /invoice"))).toEqual(["GET /invoice", "GET SVC", "GET /svc-fetch"]);
  });

  it("uninstrumented callees (DO and entrypoint) see no extra argument, and the caller still has its CLIENT span", async () => {
    const room = await call("/plain-do-rpc?n=1");
    expect(room.got).toEqual({ count: 4, args: ["1", ...ARGS] });
    const billing = await call("/plain-svc-rpc?n=2");
    expect(billing.got).toEqual({ count: 4, args: ["2", ...ARGS] });
    // Calls after the binding was learned to be plain go straight through, too.
    expect((await call("/plain-svc-rpc?n=3")).got).toEqual({ count: 4, args: ["3", ...ARGS] });
    const client = await waitFor(billing.traceId, "PLAIN_SVC.charge");
    expect(client).toMatchObject({ kind: KIND.CLIENT });
    expect(ancestry(client)).toEqual(["PLAIN_SVC.charge", "GET /plain-svc-rpc"]);
    expect(await waitFor(room.traceId, "PLAIN_ROOM.add")).toBeDefined();
    // An object-style default export (not a WorkerEntrypoint) over a service binding, too.
    expect((await call("/plain-default-rpc?n=4")).got).toEqual({ received: { n: "4", args: ARGS } });
  });

  it("a DO alarm gets its own span, with the work done in it", async () => {
    expect((await call("/alarm?n=1")).got).toBe("scheduled");
    await settle(() => receiver.spans.some((s) => s.name === "alarm_work.task"));
    const alarm = byId(spanByName("alarm_work.task")?.parentSpanId);
    expect(alarm).toMatchObject({ name: "RoomBase.alarm", parentSpanId: undefined, attributes: { "cloudflare.durable_object.name": "alarm-1" } });
  });

  it("pipelined RPC still works, and a callee's error reaches the caller and marks both spans", async () => {
    expect((await call("/pipelined?n=10")).got).toBe(15);
    const failed = await call("/rpc-error?n=9");
    expect(failed.got).toContain("charge 9 declined");
    const client = await waitFor(failed.traceId, "SVC.fail");
    const server = await waitFor(failed.traceId, "BillingBase.fail");
    expect(client?.status.code).toBe(2);
    expect(server?.status.code).toBe(2);
    expect(server?.parentSpanId).toBe(client?.spanId);
  });

  it("two concurrent requests to DOs keep their own traces", async () => {
    const [slow, fast] = await Promise.all([call("/do-rpc?n=21&delay=60"), call("/do-rpc?n=22&delay=5")]);
    expect(slow.traceId).not.toBe(fast.traceId);
    const slowWork = await waitFor(slow.traceId, "room_work_21.task");
    const fastWork = await waitFor(fast.traceId, "room_work_22.task");
    expect(ancestry(slowWork).at(-1)).toBe("GET /do-rpc");
    expect(ancestry(fastWork).at(-1)).toBe("GET /do-rpc");
    expect(inTrace(slow.traceId).some((s) => s.name === "room_work_22.task")).toBe(false);
    expect(inTrace(fast.traceId).some((s) => s.name === "room_work_21.task")).toBe(false);
  });

  it("queues: a traced queue's consumer sees the bodies sent, each message span under its producer; an untraced queue's uninstrumented consumer gets the body untouched", async () => {
    const { traceId } = await call("/queue?n=31");
    await settle(() => receiver.spans.filter((s) => s.name === "consume_job.task").length >= 4 && recorded.length >= 1);
    // The uninstrumented consumer of the queue not declared as traced: exactly the body sent.
    expect(recorded).toEqual([{ plain: true, n: "31" }]);
    const outputs = receiver.spans.filter((s) => s.name === "consume_job.task").map((s) => JSON.parse(String(s.attributes["traceloop.entity.output"])) as unknown);
    expect(outputs).toEqual(expect.arrayContaining([{ job: "one", n: "31", when: "now" }, { job: "two", n: "31" }, "three", "four 31"]));
    expect(outputs).toHaveLength(4);
    const producers = inTrace(traceId).filter((s) => s.name === "send JOBS");
    expect(producers.map((s) => s.kind)).toEqual([KIND.PRODUCER, KIND.PRODUCER, KIND.PRODUCER]);
    expect(producers.map((s) => s.attributes["respan.queue.trace_carried"])).toEqual([true, true, false]);
    expect(inTrace(traceId).find((s) => s.name === "send PLAIN_JOBS")?.attributes["respan.queue.trace_carried"]).toBe(false);
    // One CONSUMER span per message, in the request's trace, each a child of the span that sent it.
    await settle(() => inTrace(traceId).filter((s) => s.name === "process jobs").length >= 3);
    const processed = inTrace(traceId).filter((s) => s.name === "process jobs");
    expect(processed).toHaveLength(3);
    expect(processed.map((s) => ancestry(s).slice(1))).toEqual([
      ["send JOBS", "GET /queue"],
      ["send JOBS", "GET /queue"],
      ["send JOBS", "GET /queue"],
    ]);
    expect(processed.every((s) => s.kind === KIND.CONSUMER && s.attributes["respan.queue.outcome"] === "ack")).toBe(true);
  });

  it("hibernatable WebSockets to a DO: one span per message, each delivered before the next message is sent", async () => {
    const response = await mf.dispatchFetch("http://front/ws?n=1", { headers: { Upgrade: "websocket" } });
    expect(response.status).toBe(101);
    const ws = response.webSocket!;
    const replies: string[] = [];
    ws.addEventListener("message", (event) => replies.push(String(event.data)));
    ws.accept();
    for (const message of ["m1", "m2"]) {
      ws.send(message);
      // Delivered while the socket stays open: the per-message flush settled on its own.
      await settle(() => receiver.spans.some((s) => s.name === `ws_work_${message}.task`));
      expect(ancestry(receiver.spans.find((s) => s.name === `ws_work_${message}.task`))).toEqual([`ws_work_${message}.task`, "RoomBase.webSocketMessage"]);
    }
    expect(replies).toEqual(["echo:m1", "echo:m2"]);
    ws.close(1000, "done");
    await settle(() => receiver.spans.some((s) => s.name === "RoomBase.webSocketClose"));
    expect(receiver.spans.find((s) => s.name === "RoomBase.webSocketClose")?.attributes["cloudflare.durable_object.name"]).toBe("ws-1");
    // The upgrade itself went through the stub's fetch, in the request's trace.
    const upgrade = receiver.spans.find((s) => s.name === "GET /ws" && s.attributes["cloudflare.durable_object.class"] === "RoomBase");
    expect(ancestry(upgrade)).toEqual(["GET /ws", "GET ROOM", "GET /ws"]);
  });

  it("a stream that outlives its deadline: a partial span is delivered while it streams, the final one after it ends", async () => {
    const response = await mf.dispatchFetch("http://front/stream");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    const roots = () => receiver.spans.filter((s) => s.name === "GET /stream");
    await settle(() => roots().length >= 1, 5_000);
    const [partial] = roots();
    expect(partial?.attributes["respan.span.partial"]).toBe(true);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value);
    expect(text).toBe([0, 1, 2, 3, 4, 5].map((i) => `data: ${i}\n\n`).join(""));
    await settle(() => roots().length >= 2);
    const final = roots().find((s) => s.attributes["respan.span.partial"] === undefined);
    expect(final?.spanId).toBe(partial?.spanId);
    expect(BigInt(final!.endTimeUnixNano)).toBeGreaterThan(BigInt(partial!.endTimeUnixNano));
    expect(spanByName("slow_stream.task")?.parentSpanId).toBe(final?.spanId);
  });
});
