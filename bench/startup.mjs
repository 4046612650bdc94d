/**
 * Bench (e): import + construction time of one contender in a fresh Node process (module loading
 * is cached per process, so every sample needs its own). Exporting to a loopback URL nobody is
 * asked to answer: construction must do no I/O.
 *
 *   node bench/startup.mjs <respan|otel|traceloop|keywordsai>
 *
 * Traceloop and KeywordsAI come from bench/contenders/ with the options of lib/external-contenders.mjs;
 * KeywordsAI's construction includes its (async) initialize(), which is where it starts tracing.
 *
 * Prints one JSON line: { contender, importMs, constructMs, totalMs }.
 */
const [contender] = process.argv.slice(2);
const URL_ = "http://127.0.0.1:9/v1/traces";

const t0 = performance.now();
let construct;
if (contender === "respan") {
  const { RespanTelemetry } = await import("../dist/node/index.js");
  construct = () => new RespanTelemetry({ appName: "bench", exportUrl: URL_, env: {}, logLevel: "critical" });
} else if (contender === "traceloop") {
  const { loadTraceloop, TRACELOOP_OPTIONS } = await import("./lib/external-contenders.mjs");
  const traceloop = loadTraceloop();
  construct = () => traceloop.initialize(TRACELOOP_OPTIONS(URL_));
} else if (contender === "keywordsai") {
  const { loadKeywordsai, KEYWORDSAI_OPTIONS } = await import("./lib/external-contenders.mjs");
  const { KeywordsAITelemetry } = await loadKeywordsai();
  construct = () => new KeywordsAITelemetry(KEYWORDSAI_OPTIONS(URL_)).initialize();
} else {
  const api = await import("@opentelemetry/api");
  const { AsyncLocalStorageContextManager } = await import("@opentelemetry/context-async-hooks");
  const { BasicTracerProvider, BatchSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
  const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
  const { resourceFromAttributes } = await import("@opentelemetry/resources");
  construct = () => {
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: URL_ }));
    const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ "service.name": "bench" }), spanProcessors: [processor] });
    api.trace.setGlobalTracerProvider(provider);
    return provider;
  };
}
const t1 = performance.now();
await construct();
const t2 = performance.now();
console.log(JSON.stringify({ contender, importMs: t1 - t0, constructMs: t2 - t1, totalMs: t2 - t0 }));
process.exit(0);
