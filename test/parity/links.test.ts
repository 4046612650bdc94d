/**
 * The Python README's "Span Links on Decorators" (examples #51–#55). `SpanLink(trace_id=, span_id=)`
 * is `new SpanLink({ traceId, spanId })`; `attach_span_links` is `attachSpanLinks`. Python
 * decorates functions; TypeScript wraps them (`task(options, fn)`), which takes the same `links`.
 */
import { describe, expect, it } from "vitest";
import { SpanLink, attachSpanLinks, getClient, task, workflow } from "../../src/runtime/node.js";
import { spanNamed } from "../helpers/otlp-receiver.js";
import { tracedWithReceiver } from "../helpers/setup.js";

const linkOf = (traceId: string, spanId: string, type: string) => ({ traceId, spanId, attributes: { "link.type": type } });

describe("Span Links on Decorators (Python README)", () => {
  it("#51 Static Links: links known at definition time are on every span of the task", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const myTask = task(
      { links: [new SpanLink({ traceId: "0123456789abcdef0123456789abcdef", spanId: "0123456789abcdef", attributes: { "link.type": "reference" } })] },
      function my_task() {
        return "ok";
      },
    );
    expect(myTask()).toBe("ok");
    myTask();
    await telemetry.flush();
    expect(receiver.spans.map((s) => [s.name, s.links])).toEqual([
      ["my_task.task", [linkOf("0123456789abcdef0123456789abcdef", "0123456789abcdef", "reference")]],
      ["my_task.task", [linkOf("0123456789abcdef0123456789abcdef", "0123456789abcdef", "reference")]],
    ]);
  });

  it("#52 Dynamic Links (Callable): the function is called on every invocation, so each run gets its own links", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const saved = [
      { trace_id: "11111111111111111111111111111111", span_id: "1111111111111111" },
      { trace_id: "22222222222222222222222222222222", span_id: "2222222222222222" },
    ];
    let run = 0;
    const loadSaved = () => saved[run++]!; // from a database, a message queue, …
    const getResumeLinks = () => {
      const { trace_id, span_id } = loadSaved();
      return [new SpanLink({ traceId: trace_id, spanId: span_id, attributes: { "link.type": "resume" } })];
    };
    const execute = workflow({ name: "workflow_execution", links: getResumeLinks }, () => undefined);
    execute();
    execute();
    await telemetry.flush();
    expect(receiver.spans.map((s) => s.links)).toEqual([
      [linkOf(saved[0]!.trace_id, saved[0]!.span_id, "resume")],
      [linkOf(saved[1]!.trace_id, saved[1]!.span_id, "resume")],
    ]);
  });

  it("#53 Context-Based Links (attach_span_links): the next decorated span takes the attached links, once", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const savedTraceId = "33333333333333333333333333333333", savedSpanId = "3333333333333333";
    const execute = workflow({ name: "workflow_execution" }, () => undefined);
    attachSpanLinks([new SpanLink({ traceId: savedTraceId, spanId: savedSpanId, attributes: { "link.type": "resume" } })]);
    execute(); // picks up and consumes the links
    execute(); // no stale links
    await telemetry.flush();
    expect(receiver.spans.map((s) => s.links)).toEqual([[linkOf(savedTraceId, savedSpanId, "resume")], []]);
  });

  it("#54 Merging Links: explicit links and attached links are both on the span", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const staticLink = new SpanLink({ traceId: "44444444444444444444444444444444", spanId: "4444444444444444", attributes: { "link.type": "static" } });
    const contextLink = new SpanLink({ traceId: "55555555555555555555555555555555", spanId: "5555555555555555", attributes: { "link.type": "context" } });
    const myTask = task({ links: [staticLink] }, function my_task() {});
    attachSpanLinks([contextLink]);
    myTask();
    await telemetry.flush();
    expect(receiver.spans[0]!.links).toEqual([
      linkOf("44444444444444444444444444444444", "4444444444444444", "static"),
      linkOf("55555555555555555555555555555555", "5555555555555555", "context"),
    ]);
  });

  it("#55 Cross-Session Linking (Pause/Resume): ids saved in session 1 link session 2's new trace back to the paused one", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const db = new Map<string, string>(); // stand-in for a database: only strings survive a session
    // Session 1: the workflow pauses and saves its span context.
    workflow({ name: "workflow_execution" }, () => {
      const client = getClient();
      db.set("paused", JSON.stringify({ trace_id: client.getCurrentTraceId(), span_id: client.getCurrentSpanId() }));
    })();
    // Session 2: load and link.
    const saved = JSON.parse(db.get("paused")!) as { trace_id: string; span_id: string };
    attachSpanLinks([new SpanLink({ traceId: saved.trace_id, spanId: saved.span_id, attributes: { "link.type": "resume" } })]);
    const execute = workflow({ name: "workflow_execution" }, () => undefined);
    execute();
    await telemetry.flush();
    const [paused, resumed] = receiver.spans;
    expect(resumed!.traceId).not.toBe(paused!.traceId); // a new trace…
    expect(resumed!.links).toEqual([linkOf(paused!.traceId, paused!.spanId, "resume")]); // …linked back to the paused span
    expect(spanNamed([resumed!], "workflow_execution.workflow")).toBeDefined();
  });
});
