/**
 * The conformance scenarios, written once and run unchanged in every runtime (Node, Deno, workerd,
 * Chromium, Next.js node and edge routes). Each builds its own RespanTelemetry that exports to the
 * loopback receiver, runs, shuts down (flushing), and returns a small report; checks.ts then
 * asserts on what the receiver decoded. With `explicit`, parents are passed by hand
 * (client.currentContext() → { context }), the browser's default; otherwise async context carries them.
 */
import type * as RespanSdk from "../../src/runtime/node.js";

export type Sdk = typeof RespanSdk;

export interface ScenarioEnv {
  /** The receiver's OTLP URL. */
  exportUrl: string;
  /** Prefix of every service.name, so a runtime's spans are told apart. */
  runtime: string;
  /** Pass parents explicitly instead of relying on async context. */
  explicit: boolean;
}

export type Report = Record<string, unknown>;
type Scenario = (sdk: Sdk, env: ScenarioEnv) => Promise<Report>;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Span names, recorded in the runtime, for processors other than the receiver. */
function memoryExporter() {
  const names: string[] = [];
  return {
    names,
    export(spans: Array<{ name: string }>, done: (result: { code: number }) => void) {
      names.push(...spans.map((span) => span.name));
      done({ code: 0 });
    },
    shutdown: async () => undefined,
  };
}

function start(sdk: Sdk, env: ScenarioEnv, scenario: string, extra: Record<string, unknown> = {}) {
  const telemetry = new sdk.RespanTelemetry({ appName: `${env.runtime}:${scenario}`, exportUrl: env.exportUrl, env: {}, logLevel: "error", ...extra });
  // The parent to hand down: the current context when passing explicitly, else let async context do it.
  const here = () => (env.explicit ? sdk.getClient().currentContext() : undefined);
  return { telemetry, here, client: sdk.getClient() };
}

export const scenarios: Record<string, Scenario> = {
  /** The Python SDK tutorial's tree: 4 workflows and 10 tasks in one trace. */
  async tutorial(sdk, env) {
    const { telemetry, here } = start(sdk, env, "tutorial");
    const { withWorkflow, withTask } = sdk;
    const step = (name: string, context: unknown, body: (ctx: unknown) => Promise<void> = () => delay(1)) =>
      withTask({ name, context: context as never }, async () => body(here()));
    await withWorkflow({ name: "joke_and_audience_reaction" }, async () => {
      const root = here();
      await withWorkflow({ name: "pirate_joke_generator", context: root as never }, async () => {
        const wf = here();
        await step("joke_creation", wf, async (ctx) => {
          await delay(1);
          await step("store_joke", ctx);
        });
        await step("pirate_joke_translation", wf);
        await step("signature_generation", wf);
      });
      await withWorkflow({ name: "audience_reaction", context: root as never }, async () => {
        const wf = here();
        await step("audience_laughs", wf);
        await step("audience_applaud", wf, (ctx) => step("audience_claps", ctx));
      });
      await withWorkflow({ name: "audience_interaction", context: root as never }, async () => {
        const wf = here();
        await step("ask_for_comments", wf);
        await step("read_joke_comments", wf);
      });
      await step("logging_joke", root);
    });
    await telemetry.shutdown();
    return {};
  },

  /** The client API and respanParams, including explicit runWithContext after an await. */
  async client(sdk, env) {
    const { telemetry, here, client } = start(sdk, env, "client");
    const seen: Report = {};
    await sdk.withTask({ name: "client_task" }, async () => {
      const ctx = here() ?? client.currentContext();
      seen.traceId = client.getCurrentTraceId();
      seen.spanId = client.getCurrentSpanId();
      client.updateCurrentSpan({
        attributes: { "custom.attr": "v" },
        respanParams: { customer_identifier: "user-42", thread_identifier: "th-1", environment: "conformance", metadata: { plan: "pro" } },
      });
      await delay(1);
      client.runWithContext(ctx, () => {
        client.updateCurrentSpan({ respanParams: { metadata: { region: "eu" } } });
        client.addEvent("after_await", { n: 1 });
      });
    });
    seen.outsideTraceId = client.getCurrentTraceId() ?? null;
    seen.build = telemetry.runtime;
    await telemetry.shutdown();
    return seen;
  },

  /** Processor routing by name and filter, and inheritance of `processors`. */
  async routing(sdk, env) {
    const { telemetry, here } = start(sdk, env, "routing");
    const side = memoryExporter();
    const slow = memoryExporter();
    telemetry.addProcessor({ name: "side", exporter: side as never });
    telemetry.addProcessor({ exporter: slow as never, filter: (span) => span.name.startsWith("slow") });
    await sdk.withWorkflow({ name: "routed", processors: "side" }, async () => {
      const ctx = here();
      await sdk.withTask({ name: "inherits", context: ctx as never }, () => delay(1));
      await sdk.withTask({ name: "back_to_default", processors: "default", context: ctx as never }, () => delay(1));
    });
    sdk.withTask({ name: "slow_default" }, () => 1);
    sdk.withTask({ name: "plain" }, () => 1);
    await telemetry.shutdown();
    return { side: side.names.sort(), slow: slow.names.sort() };
  },

  /** sampleRate 0 drops the span (not its children), 1 keeps it. */
  async sampling(sdk, env) {
    const { telemetry, here } = start(sdk, env, "sampling");
    for (let i = 0; i < 10; i++) {
      sdk.withWorkflow({ name: "never", sampleRate: 0 }, () => sdk.withTask({ name: "child_of_never", context: here() as never }, () => i));
      sdk.withTask({ name: "always", sampleRate: 1 }, () => i);
    }
    await telemetry.shutdown();
    return {};
  },

  /** Links as an array, as a function, and attached with attachSpanLinks (consumed once). */
  async links(sdk, env) {
    const { telemetry, here } = start(sdk, env, "links");
    const a = new sdk.SpanLink({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", attributes: { why: "a" } });
    const b = new sdk.SpanLink({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7" });
    let typeError = "";
    try {
      new sdk.SpanLink({ traceId: "nope", spanId: "00f067aa0ba902b7" });
    } catch (error) {
      typeError = error instanceof TypeError ? "TypeError" : String(error);
    }
    await sdk.withWorkflow({ name: "linked", links: () => [a] }, async () => {
      const ctx = here();
      sdk.attachSpanLinks([b]);
      await sdk.withTask({ name: "merged", links: [a], context: ctx as never }, () => delay(1));
      await sdk.withTask({ name: "consumed", context: ctx as never }, () => delay(1));
    });
    await telemetry.shutdown();
    return { typeError };
  },

  /** SpanBuffer: one shared trace, continuation of a parent, processSpans through routing. */
  async buffer(sdk, env) {
    const { telemetry, client } = start(sdk, env, "buffer");
    const side = memoryExporter();
    telemetry.addProcessor({ name: "side", exporter: side as never });
    const fresh = client.getSpanBuffer("fresh");
    fresh.run(() => {
      fresh.createSpan("fresh_a", { status: "completed" });
      fresh.createSpan("fresh_b");
    });
    const continued = client.getSpanBuffer("job-7", { parentTraceId: "4bf92f3577b34da6a3ce929d0e0e4736", parentSpanId: "00f067aa0ba902b7" });
    continued.run(() => {
      sdk.withTask({ name: "buffered_task" }, () => continued.createSpan("buffered_step", { n: 1 }));
      sdk.withTask({ name: "buffered_side", processors: "side" }, () => 1);
    });
    const counts = { fresh: fresh.getSpanCount(), continued: continued.getSpanCount() };
    await telemetry.flush();
    const beforeProcess = telemetry.getDeliveryStats().exported;
    const processed = (await client.processSpans(fresh)) && (await client.processSpans(continued));
    await telemetry.shutdown();
    return { counts, beforeProcess, processed, side: side.names };
  },

  /** serializeSpans → deserializeSpans round-trips exactly and the copies process like spans. */
  async transport(sdk, env) {
    const { telemetry, client } = start(sdk, env, "transport");
    const buffer = client.getSpanBuffer("collected");
    buffer.run(() =>
      sdk.withTask({ name: "collected_task" }, () => {
        client.addEvent("clicked", { x: 1 });
        buffer.createSpan("collected_leaf", { ok: true }, { startTime: 1_700_000_000_000, endTime: 1_700_000_000_250 });
      }),
    );
    const json = sdk.serializeSpans(buffer.getAllSpans());
    const copies = sdk.deserializeSpans(json);
    const roundTrip = sdk.serializeSpans(copies) === json;
    await client.processSpans(copies);
    await telemetry.shutdown();
    return { roundTrip, count: copies.length };
  },

  /** 1,000 interleaved concurrent workflows with random awaits and timers: every parent right. */
  async concurrency(sdk, env) {
    const { telemetry, here, client } = start(sdk, env, "concurrency", { maxQueueSize: 10_000 });
    const within = <R>(ctx: unknown, fn: () => R): R => (ctx ? client.runWithContext(ctx as never, fn) : fn());
    const jitter = () => (Math.random() < 0.5 ? delay(Math.floor(Math.random() * 4)) : Promise.resolve());
    const inner = sdk.task({ name: "inner" }, async (i: number, _ctx?: unknown) => {
      await jitter();
      return i;
    });
    const runOne = sdk.workflow({ name: "concurrent" }, async (i: number) => {
      const ctx = here();
      await jitter();
      const call = (name: string) =>
        sdk.withTask({ name, context: ctx as never }, async () => {
          const mine = here();
          await jitter();
          await within(mine, () => inner(i));
        });
      await Promise.all([call("left"), call("right")]);
    });
    await Promise.all(Array.from({ length: 1000 }, (_, i) => runOne(i)));
    await telemetry.shutdown();
    return { stats: telemetry.getDeliveryStats() };
  },
};

/** Runs the named scenarios in order and returns each report (or its error). */
export async function runScenarios(sdk: Sdk, env: ScenarioEnv, names: string[] = Object.keys(scenarios)): Promise<Record<string, Report>> {
  const reports: Record<string, Report> = {};
  for (const name of names) {
    try {
      reports[name] = await scenarios[name]!(sdk, env);
    } catch (error) {
      reports[name] = { error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error) };
    }
  }
  return reports;
}
