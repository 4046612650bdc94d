import { ExportResultCode } from "@opentelemetry/core";
import { trace } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { getClient, task, withTask, withWorkflow } from "../src/runtime/node.js";
import { tracedWithReceiver } from "./helpers/setup.js";

const names = (exporter: InMemorySpanExporter) => exporter.getFinishedSpans().map((s) => s.name).sort();

describe("SPEC §5 processors, routing, sampling", () => {
  it("routes by name; unrouted spans go to default and to nameless filter processors", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const debug = new InMemorySpanExporter();
    const audit = new InMemorySpanExporter();
    const slow = new InMemorySpanExporter();
    telemetry.addProcessor({ name: "debug", exporter: debug });
    telemetry.addProcessor({ name: "audit", exporter: audit, filter: (span) => span.attributes["traceloop.entity.name"] !== "skip_me" });
    telemetry.addProcessor({ exporter: slow, filter: (span) => span.name.startsWith("slow") });
    withTask({ name: "to_debug", processors: "debug" }, () => 1);
    withTask({ name: "to_both", processors: ["debug", "audit"] }, () => 1);
    withTask({ name: "skip_me", processors: ["audit"] }, () => 1); // AND: listed but the filter fails
    withTask({ name: "slow_plain" }, () => 1);
    withTask({ name: "plain" }, () => 1);
    await telemetry.flush();
    expect(names(debug)).toEqual(["to_both.task", "to_debug.task"]);
    expect(names(audit)).toEqual(["to_both.task"]);
    expect(names(slow)).toEqual(["slow_plain.task"]);
    expect(receiver.spans.map((s) => s.name).sort()).toEqual(["plain.task", "slow_plain.task"]);
  });

  it("children inherit processors from the nearest ancestor unless they set their own", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const a = new InMemorySpanExporter();
    const b = new InMemorySpanExporter();
    telemetry.addProcessor({ name: "a", exporter: a });
    telemetry.addProcessor({ name: "b", exporter: b });
    withWorkflow({ name: "wf", processors: "a" }, () => {
      withTask({ name: "inherits" }, () => {
        trace.getTracer("some-library").startSpan("library.span").end();
      });
      withTask({ name: "own", processors: "b" }, () => withTask({ name: "grandchild" }, () => 1));
    });
    await telemetry.flush();
    expect(names(a)).toEqual(["inherits.task", "library.span", "wf.workflow"]);
    expect(names(b)).toEqual(["grandchild.task", "own.task"]);
    expect(receiver.spans).toHaveLength(0);
  });

  it("sampleRate 0 never exports, 1 always; children do not inherit it", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    for (let i = 0; i < 20; i++) {
      withWorkflow({ name: "never", sampleRate: 0 }, () => withTask({ name: "child_of_never" }, () => 1));
      withTask({ name: "always", sampleRate: 1 }, () => 1);
    }
    await telemetry.flush();
    const counts = receiver.spans.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.name]: (acc[s.name] ?? 0) + 1 }), {});
    expect(counts).toEqual({ "always.task": 20, "child_of_never.task": 20 });
  });

  it("sampleRate 0.5 exports about half (statistical, 2000 spans)", async () => {
    const exporter = new InMemorySpanExporter();
    const { telemetry } = await tracedWithReceiver({ customExporter: exporter });
    for (let i = 0; i < 2000; i++) withTask({ name: "half", sampleRate: 0.5 }, () => 1);
    await telemetry.flush();
    const n = exporter.getFinishedSpans().length;
    // 2000 fair coin flips: outside [850, 1150] has probability < 1e-11.
    expect(n).toBeGreaterThan(850);
    expect(n).toBeLessThan(1150);
  });

  it("the default processor drops framework noise outside entities but keeps LLM and in-entity spans", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const other = trace.getTracer("next.js");
    other.startSpan("GET /api/chat").end(); // bare HTTP, outside any entity: dropped
    other.startSpan("next.render").end(); // dropped
    other.startSpan("openai.chat", { attributes: { "gen_ai.system": "openai" } }).end(); // LLM: kept
    other.startSpan("ai.generateText").end(); // Vercel AI SDK: kept
    withTask({ name: "entity" }, () => other.startSpan("GET /inside").end()); // inside an entity: kept
    getClient().getTracer().startSpan("mine").end(); // our tracer: kept
    await telemetry.flush();
    expect(receiver.spans.map((s) => s.name).sort()).toEqual(["GET /inside", "ai.generateText", "entity.task", "mine", "openai.chat"]);
  });

  it("spanPostprocessCallback and redact rewrite spans before export", async () => {
    const { telemetry, receiver } = await tracedWithReceiver({
      spanPostprocessCallback: (span: ReadableSpan) => {
        (span.attributes as Record<string, unknown>)["post.processed"] = true;
      },
      redact: (attributes) => ({ ...attributes, "traceloop.entity.input": "[redacted]" }),
    });
    task({ name: "pii" }, (email: string) => email.length)("ann@example.com");
    withTask({ name: "pii2" }, () => 1);
    await telemetry.flush();
    const spans = await receiver.waitForSpans(2);
    for (const span of spans) {
      expect(span.attributes["post.processed"]).toBe(true);
      expect(span.attributes["traceloop.entity.input"]).toBe("[redacted]");
    }
  });

  it("a failing or throwing exporter never reaches user code, and flush still resolves", async () => {
    const failing: SpanExporter = {
      export: (_spans, done) => done({ code: ExportResultCode.FAILED, error: new Error("down") }),
      shutdown: async () => undefined,
    };
    const throwing: SpanExporter = {
      export: () => {
        throw new Error("exporter bug");
      },
      shutdown: async () => undefined,
    };
    const { telemetry } = await tracedWithReceiver({ logLevel: "critical" });
    telemetry.addProcessor({ exporter: failing });
    telemetry.addProcessor({ exporter: throwing, filter: () => true });
    expect(withTask({ name: "fine" }, () => "ok")).toBe("ok");
    await expect(telemetry.flush()).resolves.toBeUndefined();
    expect(telemetry.getDeliveryStats()).toMatchObject({ failed: 2, exported: 1 });
  });
});
