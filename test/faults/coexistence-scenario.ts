/**
 * One coexistence scenario, run in its own Node process by coexistence.test.ts (bundled from
 * source with esbuild): another OpenTelemetry setup (TOOL) and RespanTelemetry, constructed in
 * ORDER, both used, both flushed. Prints one JSON report line for the test to check.
 *   TOOL: nodesdk | vercel | sentry | sentry-otel    ORDER: ours-first | theirs-first
 *   OUR_BASE_URL: our loopback receiver    SENTRY_DSN: the loopback Sentry endpoint (sentry*)
 */
import { context, trace, type Tracer } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { RespanTelemetry, withTask, withWorkflow } from "../../src/runtime/node.js";

const { TOOL = "", ORDER = "", OUR_BASE_URL = "", SENTRY_DSN = "" } = process.env;

/** Every global registration made after this point, and whether the API accepted it. */
const registrations: Array<{ api: string; ok: boolean }> = [];
const setProvider = trace.setGlobalTracerProvider.bind(trace);
trace.setGlobalTracerProvider = (provider) => {
  const ok = setProvider(provider);
  registrations.push({ api: "trace", ok });
  return ok;
};
const setManager = context.setGlobalContextManager.bind(context);
context.setGlobalContextManager = (manager) => {
  const ok = setManager(manager);
  registrations.push({ api: "context", ok });
  return ok;
};

interface Theirs {
  /** Runs `fn` in one of their spans, as their users would. */
  span(name: string, fn?: () => void): void;
  finish(): Promise<Array<Record<string, unknown>>>;
}

const memory = new InMemorySpanExporter();
/** Their exporting processor; SimpleSpanProcessor exports asynchronously, so finish() flushes it. */
const exporting = new SimpleSpanProcessor(memory);
const summary = (span: ReadableSpan) => ({
  name: span.name,
  traceId: span.spanContext().traceId,
  spanId: span.spanContext().spanId,
  parentSpanId: span.parentSpanContext?.spanId,
  service: span.resource.attributes["service.name"],
});

/** Their spans through the global API, the way their instrumentations make them. */
function globalTracerSpans(tracer: () => Tracer): Theirs["span"] {
  return (name, fn) => tracer().startActiveSpan(name, (span) => {
    fn?.();
    span.end();
  });
}

async function startTheirs(): Promise<Theirs> {
  if (TOOL === "nodesdk") {
    const { NodeSDK } = await import("@opentelemetry/sdk-node");
    const sdk = new NodeSDK({ serviceName: "their-app", spanProcessors: [exporting], instrumentations: [] });
    sdk.start();
    return {
      span: globalTracerSpans(() => trace.getTracer("their-lib")),
      finish: async () => {
        await exporting.forceFlush();
        const spans = memory.getFinishedSpans().map(summary); // shutdown() empties the exporter
        await sdk.shutdown();
        return spans;
      },
    };
  }
  if (TOOL === "vercel") {
    const { registerOTel } = await import("@vercel/otel");
    registerOTel({ serviceName: "their-app", spanProcessors: [exporting], instrumentations: [] });
    return {
      span: globalTracerSpans(() => trace.getTracer("their-lib")),
      finish: async () => (await exporting.forceFlush(), memory.getFinishedSpans().map(summary)),
    };
  }
  const Sentry = await import("@sentry/node");
  Sentry.init({ dsn: SENTRY_DSN, tracesSampleRate: 1, enableOpenTelemetrySetup: TOOL === "sentry-otel", defaultIntegrations: false });
  return {
    span: (name, fn) => Sentry.startSpan({ name }, () => fn?.()),
    finish: async () => (await Sentry.flush(5_000), []),
  };
}

let telemetry: RespanTelemetry | undefined;
const startOurs = () => (telemetry = new RespanTelemetry({ appName: "our-app", apiKey: "coexist-key-1234", baseUrl: OUR_BASE_URL, env: {} }));

if (ORDER === "ours-first") startOurs();
const theirs = await startTheirs();
if (ORDER === "theirs-first") startOurs();

// Their own trace, then one of their spans inside our wrappers.
theirs.span("their.root", () => theirs.span("their.child"));
await withWorkflow({ name: "coexist" }, async () => {
  await withTask({ name: "step" }, async () => theirs.span("their.inside"));
});
const theirSpans = await theirs.finish();
await telemetry!.shutdown();
process.stdout.write(`REPORT ${JSON.stringify({ registrations, theirSpans })}\n`);
