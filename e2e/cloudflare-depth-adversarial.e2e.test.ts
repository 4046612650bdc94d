/**
 * Adversarial Cloudflare depth (SPEC §11) in workerd (Miniflare): the same caller runs once wrapped
 * with instrumentWorker against instrumented callees, and once bare against plain ones. Whatever
 * user code observes (values, errors, order of delivery) must be the same through both.
 */
import { Miniflare } from "miniflare";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOtlpReceiver, type OtlpReceiver } from "../test/helpers/otlp-receiver.js";
import { bundleRunner } from "./harness/consumer.js";

const QUEUE_BATCH_TIMEOUT_S = 0.1;
const QUEUE_CASES = ["retry-then-ack", "envelope-lookalike", "batch-iterator", "near-limit", "near-limit-batch", "v8-types", "json-string"];

const CASES = [
  "method-call-apply-bind",
  "default-export-rpc",
  "stub-as-arg",
  "service-as-arg",
  "namespace-as-arg",
  "stub-used-by-callee",
  "callee-redeployed-plain",
  "subclass-method",
  "subclass-inherited",
  "twice-instrumented",
  "svc-dispose",
  "do-stub-props",
  "do-get-options",
  "do-unique-id",
  "do-order-first",
  "svc-property-pipeline",
  "stub-string",
  "env-json",
  "svc-property",
  "do-property",
  "svc-callback",
  "svc-stream-arg",
  "svc-stream-result",
  "svc-function-result",
  "svc-pipeline-deep",
  "svc-pipeline-property",
  "svc-error",
  "do-error",
  "svc-class-arg",
  "svc-missing-method",
  "env-untouched",
  "do-order-rpc",
];

/** What the plain run must observe, where that is known: so a case cannot pass by failing the same way twice. */
const PLAIN: Record<string, unknown> = {
  "do-order-first": { value: ["first", "second", "third"] },
  "do-order-rpc": { value: ["a", "b", "c"] },
  "svc-property": { value: 42 },
  "do-property": { value: 42 },
  "svc-property-pipeline": { value: [7, "node 7?"] },
  "stub-string": { value: ["[object Fetcher]", "[object DurableObject]"] },
  "svc-pipeline-deep": { value: "node 3!" },
  "svc-function-result": { value: 42 },
  "subclass-method": { value: "extra x" },
  "default-export-rpc": { value: { received: { a: [1, "two"] } } },
  "callee-redeployed-plain": { value: ["echo before", "echo after", "undeployed: undefined"] },
  "twice-instrumented": { value: [1, ["x"]] },
};

describe("Cloudflare depth, adversarial: traced calls behave as plain ones (workerd)", () => {
  let receiver: OtlpReceiver;
  let mf: Miniflare;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const bundle = async (name: string) =>
      readFileSync(await bundleRunner(`${name}.mjs`, `${name}.bundle.mjs`, { conditions: ["workerd", "worker", "browser"], platform: "browser" }), "utf8");
    const front = await bundle("cf-adv-front");
    const common = {
      modules: true,
      compatibilityDate: "2025-09-01",
      compatibilityFlags: ["nodejs_als"],
      bindings: { EXPORT_URL: `${receiver.url}/v1/traces`, SECRET: "s3cret", JSON_VAR: { a: [1, 2] } },
    };
    mf = new Miniflare({
      workers: [
        {
          ...common,
          name: "traced",
          script: front,
          bindings: { ...common.bindings, MODE: "traced" },
          durableObjects: { STORE: { className: "Store", scriptName: "back" }, ORDER_STORE: { className: "Store", scriptName: "back" }, SUB_STORE: { className: "SubStore", scriptName: "back" }, TWICE_STORE: { className: "TwiceStore", scriptName: "back" }, FLAKY: { className: "Flaky", scriptName: "back" }, SLOW_A: { className: "Slow", scriptName: "back" }, SLOW_B: { className: "Slow", scriptName: "back" } },
          serviceBindings: { API: { name: "back", entrypoint: "Api" }, SKEW: { name: "back", entrypoint: "Skew" }, BACK: "back" },
          queueProducers: { ADV_JOBS: { queueName: "adv-jobs" } },
          queueConsumers: { "adv-jobs": { maxBatchTimeout: QUEUE_BATCH_TIMEOUT_S, maxBatchSize: 1 } },
        },
        {
          ...common,
          name: "plain",
          script: front,
          bindings: { ...common.bindings, MODE: "plain" },
          durableObjects: { STORE: { className: "PlainStore", scriptName: "back" }, ORDER_STORE: { className: "PlainStore", scriptName: "back" }, SUB_STORE: { className: "PlainSubStore", scriptName: "back" }, TWICE_STORE: { className: "PlainStore", scriptName: "back" }, FLAKY: { className: "Flaky", scriptName: "back" }, SLOW_A: { className: "Slow", scriptName: "back" }, SLOW_B: { className: "Slow", scriptName: "back" } },
          serviceBindings: { API: { name: "back", entrypoint: "PlainApi" }, SKEW: { name: "back", entrypoint: "PlainSkew" }, BACK: "back" },
          queueProducers: { ADV_JOBS: { queueName: "plain-adv-jobs" } },
          queueConsumers: { "plain-adv-jobs": { maxBatchTimeout: QUEUE_BATCH_TIMEOUT_S, maxBatchSize: 1 } },
        },
        { ...common, name: "back", script: await bundle("cf-adv-back"), durableObjects: { STORE: "Store", PLAIN_STORE: "PlainStore", SUB_STORE: "SubStore", PLAIN_SUB_STORE: "PlainSubStore", TWICE_STORE: "TwiceStore", FLAKY: "Flaky", SLOW_A: "Slow", SLOW_B: "Slow" } },
      ],
    });
  });

  afterAll(async () => {
    await mf?.dispose();
    await receiver?.close();
  });

  const run = async (worker: "traced" | "plain", name: string, n: number) => {
    const response = await (await mf.getWorker(worker)).fetch(`http://${worker}/${name}?n=${n}`);
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it("a WebSocket listener (no hibernation) calling a plain method of the object gets its value", async () => {
    const replies: Record<string, string> = {};
    for (const worker of ["plain", "traced"] as const) {
      const response = await (await mf.getWorker(worker)).fetch(`http://${worker}/ws`, { headers: { Upgrade: "websocket" } });
      const socket = response.webSocket!;
      socket.accept();
      const reply = new Promise<string>((resolve) => socket.addEventListener("message", (event) => resolve(String(event.data)), { once: true }));
      socket.send("hello");
      replies[worker] = await reply;
      socket.close();
    }
    expect(replies.plain).toBe(JSON.stringify({ shouted: "HELLO" }));
    expect(replies.traced).toBe(replies.plain);
  });

  it.each(QUEUE_CASES)("queue %s: the send and the consumer's view are the same through traced and plain", async (name) => {
    const outcome: Record<string, unknown> = {};
    for (const worker of ["plain", "traced"] as const) {
      const fetcher = await mf.getWorker(worker);
      const before = ((await (await fetcher.fetch(`http://${worker}/queue-log`)).json()) as unknown[]).length;
      const sent = await (await fetcher.fetch(`http://${worker}/queue-send?case=${name}`)).json();
      const expected = name.includes("batch") ? 2 : 1;
      let log: unknown[] = [];
      for (let deadline = Date.now() + 5_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
        log = ((await (await fetcher.fetch(`http://${worker}/queue-log`)).json()) as unknown[]).slice(before);
        if (log.length >= expected) break;
      }
      outcome[worker] = { sent, seen: log };
    }
    expect((outcome.plain as { sent: unknown }).sent).toEqual({ value: "sent" });
    expect(outcome.traced).toEqual(outcome.plain);
    if (name.startsWith("near-limit")) {
      // Sent without the envelope, and the producer span says so (no error: the send succeeded).
      const said = () => receiver.spans.find((s) => s.name === "send ADV_JOBS" && s.attributes["respan.queue.trace_carried"] === false);
      for (const deadline = Date.now() + 10_000; !said() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(said()).toBeDefined();
      expect(said()!.status.code ?? 0).not.toBe(2);
    }
  });

  it("a streamed response the client cancels: its span ends, marked cancelled, and is delivered", async () => {
    const response = await (await mf.getWorker("traced")).fetch("http://traced/stream-forever");
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: 0\n\n");
    await reader.cancel();
    const find = () => receiver.spans.find((s) => s.name === "GET /stream-forever");
    for (const deadline = Date.now() + 10_000; !find() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(find()?.attributes["http.response.cancelled"]).toBe(true);
    expect(find()?.attributes["respan.span.partial"]).toBeUndefined();
  });

  it("a streamed response that fails: the client sees the same as untraced, the span records the error", async () => {
    const seen: Record<string, unknown> = {};
    for (const worker of ["plain", "traced"] as const) {
      const response = await (await mf.getWorker(worker)).fetch(`http://${worker}/stream-error`);
      seen[worker] = await response.text().then(
        (text) => ({ text }),
        (error: Error) => ({ error: error.name }),
      );
    }
    expect(seen.traced).toEqual(seen.plain);
    const find = () => receiver.spans.find((s) => s.name === "GET /stream-error");
    for (const deadline = Date.now() + 10_000; !find() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(find()?.status.code).toBe(2);
  });

  it("one object serving two callers at once keeps each caller's work in that caller's trace", async () => {
    const fetcher = await mf.getWorker("traced");
    const ask = async (tag: string, ms: number) => (await (await fetcher.fetch(`http://traced/shared-object?tag=${tag}&ms=${ms}`)).json()) as { got: string; traceId: string };
    const [slow, fast] = await Promise.all([ask("slow_shared", 120), ask("fast_shared", 5)]);
    expect([slow.got, fast.got]).toEqual(["slow_shared", "fast_shared"]);
    expect(slow.traceId).not.toBe(fast.traceId);
    const task = (name: string) => receiver.spans.find((s) => s.name === `${name}.task`);
    for (const deadline = Date.now() + 10_000; !(task("slow_shared") && task("fast_shared")) && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(task("slow_shared")?.traceId).toBe(slow.traceId);
    expect(task("fast_shared")?.traceId).toBe(fast.traceId);
  });

  it("a probe that failed for a passing reason (the callee's constructor threw) does not leave the binding untraced", async () => {
    const fetcher = await mf.getWorker("traced");
    const ask = async (tag: string) => (await (await fetcher.fetch(`http://traced/flaky?tag=${tag}`)).json()) as { got: unknown; traceId: string };
    await ask("flaky_first");
    const second = await ask("flaky_second");
    expect(second.got).toEqual({ value: "flaky_second" });
    const task = () => receiver.spans.find((s) => s.name === "flaky_second.task");
    for (const deadline = Date.now() + 10_000; !task() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(task()?.traceId).toBe(second.traceId);
  });

  it("a response with encodeBody: \"manual\" (already compressed) reaches the client as untraced", async () => {
    const seen: Record<string, unknown> = {};
    for (const worker of ["plain", "traced"] as const) {
      const response = await (await mf.getWorker(worker)).fetch(`http://${worker}/manual-encoding`, { headers: { "accept-encoding": "gzip" } });
      seen[worker] = { status: response.status, encoding: response.headers.get("content-encoding"), text: await response.text() };
    }
    expect(seen.plain).toMatchObject({ status: 200, text: "hello, compressed world" });
    expect(seen.traced).toEqual(seen.plain);
  });

  it("an object's response whose body the caller never reads: its span still ends and is delivered", async () => {
    const { traceId } = (await (await (await mf.getWorker("traced")).fetch("http://traced/ignore-body")).json()) as { traceId: string };
    const find = () => receiver.spans.find((s) => s.traceId === traceId && s.name === "GET /ignored");
    for (const deadline = Date.now() + 15_000; !find() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(find()).toBeDefined();
    expect(find()!.attributes["respan.span.partial"]).toBeUndefined();
  });

  it("two requests making the first call through a binding at once (one probe for both) both complete", async () => {
    const fetcher = await mf.getWorker("traced");
    const ask = async (tag: string) => (await (await fetcher.fetch(`http://traced/slow?binding=SLOW_A&tag=${tag}`)).json()) as { got: unknown };
    const got = await Promise.all([ask("slow_a1"), ask("slow_a2"), ask("slow_a3")]);
    expect(got.map((g) => g.got)).toEqual([{ value: "slow_a1" }, { value: "slow_a2" }, { value: "slow_a3" }]);
  });

  it("a request that goes away while the binding's probe is out does not strand another request waiting on it", async () => {
    const fetcher = await mf.getWorker("traced");
    const abandoned = new AbortController();
    const first = fetcher.fetch("http://traced/slow?binding=SLOW_B&tag=slow_b1", { signal: abandoned.signal as never }).then(
      () => "answered",
      () => "aborted",
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = fetcher.fetch("http://traced/slow?binding=SLOW_B&tag=slow_b2").then(async (r) => ((await r.json()) as { got: unknown }).got);
    await new Promise((resolve) => setTimeout(resolve, 50));
    abandoned.abort();
    await first;
    expect(await second).toEqual({ value: "slow_b2" });
  });

  it("a subclass's own RPC method, called through the carrier, gets a span in the caller's trace", async () => {
    await run("traced", "subclass-method", 1000);
    const find = () => receiver.spans.find((s) => s.attributes["rpc.method"] === "extra" && s.kind === 2);
    for (const deadline = Date.now() + 10_000; !find() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
    const server = find();
    const client = receiver.spans.find((s) => s.spanId === server?.parentSpanId);
    expect(client?.name).toBe("SUB_STORE.extra");
    expect(client?.traceId).toBe(server?.traceId);
  });

  it.each(CASES)("%s: user code observes the same through traced and plain calls", async (name) => {
    const n = CASES.indexOf(name);
    const plain = await run("plain", name, n);
    const traced = await run("traced", name, n);
    if (name in PLAIN) expect(plain.body).toEqual(PLAIN[name]);
    expect(traced).toEqual(plain);
  });
});

describe("Cloudflare depth, adversarial: trouble inside the SDK never reaches the app (workerd)", () => {
  let receiver: OtlpReceiver;
  let silent: Server;
  const sockets = new Set<Socket>();
  let mf: Miniflare;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    // An export endpoint that accepts and never answers.
    silent = createServer(() => undefined);
    silent.on("connection", (socket: Socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}/v1/traces`;
    const script = readFileSync(
      await bundleRunner("cf-adv-sdk-trouble.mjs", "cf-adv-sdk-trouble.bundle.mjs", { conditions: ["workerd", "worker", "browser"], platform: "browser" }),
      "utf8",
    );
    const common = { modules: true, compatibilityDate: "2025-09-01", compatibilityFlags: ["nodejs_als"], script, durableObjects: { OBJ: "Obj" } };
    mf = new Miniflare({
      workers: [
        { ...common, name: "bad-options", bindings: { MODE: "bad-options", EXPORT_URL: `${receiver.url}/v1/traces` } },
        { ...common, name: "hang", bindings: { MODE: "hang", EXPORT_URL: silentUrl } },
        { ...common, name: "frozen", bindings: { MODE: "frozen", EXPORT_URL: `${receiver.url}/v1/traces` } },
      ],
    });
  });

  afterAll(async () => {
    await mf?.dispose();
    await receiver?.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  });

  it.each(["bad-options", "hang", "frozen"])("%s: the request and its RPC call to a Durable Object work as untraced", async (worker) => {
    for (const path of ["/first", "/second"]) {
      const response = await (await mf.getWorker(worker)).fetch(`http://${worker}${path}`);
      expect({ status: response.status, text: await response.text() }).toEqual({ status: 200, text: `pong ${path}` });
    }
  });
});
