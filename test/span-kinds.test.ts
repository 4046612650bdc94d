import { describe, expect, it } from "vitest";
import { agent, task, tool, withAgent, withTask, withTool, withWorkflow, workflow } from "../src/runtime/node.js";
import { spanNamed } from "./helpers/otlp-receiver.js";
import { tracedWithReceiver } from "./helpers/setup.js";

describe("SPEC §3 spans from your functions", () => {
  it("nests the four kinds with Traceloop attributes, one trace, correct parents", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    await withWorkflow({ name: "joke_workflow", version: 2 }, async () => {
      await withTask({ name: "joke_creation" }, async () => {
        await withAgent({ name: "planner" }, () => withTool({ name: "search" }, () => "found"));
      });
    });
    await telemetry.flush();
    const spans = await receiver.waitForSpans(4);
    const wf = spanNamed(spans, "joke_workflow.workflow");
    const t = spanNamed(spans, "joke_creation.task");
    const a = spanNamed(spans, "planner.agent");
    const tl = spanNamed(spans, "search.tool");
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    expect(wf.parentSpanId).toBeUndefined();
    expect(t.parentSpanId).toBe(wf.spanId);
    expect(a.parentSpanId).toBe(t.spanId);
    expect(tl.parentSpanId).toBe(a.spanId);
    expect(wf.attributes).toMatchObject({
      "traceloop.span.kind": "workflow",
      "traceloop.entity.name": "joke_workflow",
      "traceloop.workflow.name": "joke_workflow",
      "traceloop.entity.version": 2,
    });
    expect(wf.attributes["traceloop.entity.path"]).toBeUndefined();
    expect(tl.attributes).toMatchObject({
      "traceloop.span.kind": "tool",
      "traceloop.workflow.name": "joke_workflow",
      "traceloop.entity.path": "joke_workflow.joke_creation.planner",
      "traceloop.entity.output": '"found"',
    });
    expect(wf.resource["service.name"]).toBe("respan");
  });

  it("captures input as {args, kwargs} and output as JSON; a single plain object is kwargs", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const add = task({ name: "add" }, (a: number, b: number) => a + b);
    const greet = task({ name: "greet" }, (opts: { who: string }) => ({ hello: opts.who }));
    expect(add(2, 3)).toBe(5);
    expect(greet({ who: "pirate" })).toEqual({ hello: "pirate" });
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    expect(spanNamed(spans, "add.task").attributes["traceloop.entity.input"]).toBe('{"args":[2,3],"kwargs":{}}');
    expect(spanNamed(spans, "add.task").attributes["traceloop.entity.output"]).toBe("5");
    expect(spanNamed(spans, "greet.task").attributes["traceloop.entity.input"]).toBe('{"args":[],"kwargs":{"who":"pirate"}}');
    expect(spanNamed(spans, "greet.task").attributes["traceloop.entity.output"]).toBe('{"hello":"pirate"}');
  });

  it("keeps sync functions sync and async ones returning their promise; keeps name and this", async () => {
    const { telemetry } = await tracedWithReceiver();
    const syncFn = workflow({ name: "s" }, function double(x: number) {
      return x * 2;
    });
    const result = syncFn(21);
    expect(result).toBe(42);
    expect(syncFn.name).toBe("double");
    const asyncFn = agent({}, async function think() {
      return "ok";
    });
    const promise = asyncFn();
    expect(promise).toBeInstanceOf(Promise);
    await expect(promise).resolves.toBe("ok");
    const counter = { n: 1, inc: tool({ name: "inc" }, function (this: { n: number }) { return ++this.n; }) };
    expect(counter.inc()).toBe(2);
    await telemetry.flush();
  });

  it("defaults the name to the function's name", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const named = task({}, function fetchWeather() {
      return 1;
    });
    named();
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(span!.name).toBe("fetchWeather.task");
    expect(span!.attributes["traceloop.entity.name"]).toBe("fetchWeather");
  });

  it("records errors, sets ERROR status and re-throws the same error (sync and async)", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const boom = new RangeError("boom");
    expect(() => withTask({ name: "sync_fail" }, () => { throw boom; })).toThrow(boom);
    await expect(withTask({ name: "async_fail" }, async () => { throw boom; })).rejects.toBe(boom);
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    for (const name of ["sync_fail.task", "async_fail.task"]) {
      const span = spanNamed(spans, name);
      expect(span.status).toMatchObject({ code: 2, message: "boom" });
      expect(span.events[0]).toMatchObject({ name: "exception", attributes: { "exception.type": "RangeError", "exception.message": "boom" } });
    }
  });

  it("traceContent: false (global or per wrapper) stops input/output capture", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    withTask({ name: "private", traceContent: false }, () => "secret");
    withTask({ name: "public" }, () => "visible");
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    expect(spanNamed(spans, "private.task").attributes["traceloop.entity.input"]).toBeUndefined();
    expect(spanNamed(spans, "private.task").attributes["traceloop.entity.output"]).toBeUndefined();
    expect(spanNamed(spans, "public.task").attributes["traceloop.entity.output"]).toBe('"visible"');
  });

  it("global traceContent: false applies to every wrapper", async () => {
    const { telemetry, receiver } = await tracedWithReceiver({ traceContent: false });
    withTask({ name: "quiet" }, () => "x");
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(span!.attributes["traceloop.entity.output"]).toBeUndefined();
  });
});

describe("SPEC §3 streams keep the span open until consumed", () => {
  it("a returned ReadableStream: the span ends after the last chunk, with the joined text", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    let consumed = false;
    const stream = withTask({ name: "streamer" }, () =>
      new ReadableStream<string>({
        start(controller) {
          controller.enqueue("Ahoy, ");
          controller.enqueue("matey");
          controller.close();
        },
      }),
    );
    await telemetry.flush();
    expect(receiver.spans).toHaveLength(0); // still open: nothing consumed yet
    const reader = stream.getReader();
    let text = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += r.value;
    consumed = true;
    expect(text).toBe("Ahoy, matey");
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(consumed).toBe(true);
    expect(span!.attributes["traceloop.entity.output"]).toBe('"Ahoy, matey"');
  });

  it("an async generator: the span ends when iteration finishes, or is abandoned with break", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const gen = task({ name: "words" }, async function* () {
      yield "a";
      yield "b";
      yield "c";
    });
    const seen: string[] = [];
    for await (const word of gen()) seen.push(word);
    expect(seen).toEqual(["a", "b", "c"]);
    for await (const word of gen()) {
      if (word === "a") break;
    }
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    expect(spans.map((s) => s.attributes["traceloop.entity.output"]).sort()).toEqual(['"a"', '"abc"']);
  });

  it("an async function resolving to a stream whose producer errors: span ERROR, error reaches the reader", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const stream = await withTask({ name: "broken" }, async () =>
      new ReadableStream<string>({
        pull(controller) {
          controller.error(new Error("upstream closed"));
        },
      }),
    );
    await expect(stream.getReader().read()).rejects.toThrow("upstream closed");
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(span!.status).toMatchObject({ code: 2, message: "upstream closed" });
  });

  it("a cancelled stream ends the span", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const stream = withTask({ name: "cancelled" }, () => new ReadableStream<string>({ pull: (c) => c.enqueue("tick") }));
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel("user left");
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(span!.name).toBe("cancelled.task");
  });
});
