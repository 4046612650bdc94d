import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RespanTelemetry, createRespanSpanProcessor, getClient, withTask, withWorkflow } from "../src/runtime/node.js";
import { startOtlpReceiver } from "./helpers/otlp-receiver.js";
import { onCleanup, tracedWithReceiver } from "./helpers/setup.js";

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("SPEC §2 telemetry", () => {
  it("is synchronous: the first span right after the constructor is traced and exported", async () => {
    const { telemetry, receiver } = await tracedWithReceiver({ appName: "sync-app", resourceAttributes: { "deployment.environment": "test" } });
    withTask({ name: "immediately" }, () => 1);
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(span!.resource).toMatchObject({ "service.name": "sync-app", "deployment.environment": "test" });
    expect(span!.scope).toBe("respan-tracing");
  });

  it("reads RESPAN_* from process.env; options win over the environment", async () => {
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    vi.stubEnv("RESPAN_API_KEY", "env-key-abcdef");
    vi.stubEnv("RESPAN_BASE_URL", receiver.url);
    vi.stubEnv("RESPAN_LOG_LEVEL", "error");
    vi.stubEnv("RESPAN_BATCHING_ENABLED", "false");
    const telemetry = new RespanTelemetry();
    onCleanup(() => telemetry.shutdown());
    expect(telemetry.config).toMatchObject({ apiKey: "env-key-abcdef", baseUrl: `${receiver.url}/api`, logLevel: "ERROR", isBatchingEnabled: false });
    withTask({ name: "from_env" }, () => 1);
    await receiver.waitForSpans(1); // no flush: batching is off, so the span leaves as it ends
    expect(receiver.requests[0]!.headers.authorization).toBe("Bearer env-key-abcdef");
    const overridden = new RespanTelemetry({ apiKey: "option-key-123", logLevel: "Debug", isBatchingEnabled: true });
    onCleanup(() => overridden.shutdown());
    expect(overridden.config).toMatchObject({ apiKey: "option-key-123", logLevel: "DEBUG", isBatchingEnabled: true });
  });

  it("reads from options.env instead of process.env when given", () => {
    vi.stubEnv("RESPAN_API_KEY", "process-key-1");
    const telemetry = new RespanTelemetry({ env: { RESPAN_API_KEY: "binding-key-1", RESPAN_LOG_LEVEL: "warning" } });
    onCleanup(() => telemetry.shutdown());
    expect(telemetry.config.apiKey).toBe("binding-key-1");
    expect(telemetry.config.logLevel).toBe("WARNING");
  });

  it("isEnabled: false is a complete no-op: wrappers only call the function", async () => {
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    const telemetry = new RespanTelemetry({ isEnabled: false, apiKey: "k-123456", baseUrl: receiver.url, env: {} });
    onCleanup(() => telemetry.shutdown());
    let traceId: string | undefined = "unset";
    const result = await withWorkflow({ name: "off" }, async () => {
      traceId = getClient().getCurrentTraceId();
      return 7;
    });
    expect(result).toBe(7);
    expect(traceId).toBeUndefined();
    await telemetry.flush();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.requests).toHaveLength(0);
  });

  it("constructing a second instance never duplicates spans: only the newest receives them", async () => {
    const first = await tracedWithReceiver({ logLevel: "debug" });
    const info = vi.spyOn(console, "info").mockImplementation(() => undefined);
    const second = await tracedWithReceiver({ logLevel: "debug" });
    expect(info.mock.calls.filter(([line]) => String(line).includes("replaces the previous one"))).toHaveLength(1);
    withTask({ name: "once" }, () => trace.getTracer("lib").startSpan("global.api.span").end());
    await first.telemetry.flush();
    await second.telemetry.flush();
    await second.receiver.waitForSpans(2);
    expect(second.receiver.spans.map((s) => s.name).sort()).toEqual(["global.api.span", "once.task"]);
    expect(first.receiver.spans).toHaveLength(0);
    // After the newest shuts down, the previous instance is current again.
    await second.telemetry.shutdown();
    withTask({ name: "back_to_first" }, () => 1);
    await first.telemetry.flush();
    expect((await first.receiver.waitForSpans(1))[0]!.name).toBe("back_to_first.task");
  });

  it("without apiKey, exportUrl or customExporter: spans still get ids, and one warning says nothing is exported", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const telemetry = new RespanTelemetry({ env: {} });
    onCleanup(() => telemetry.shutdown());
    let traceId: string | undefined;
    withTask({ name: "a" }, () => (traceId = getClient().getCurrentTraceId()));
    withTask({ name: "b" }, () => 1);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const lines = warn.mock.calls.map(([line]) => String(line)).filter((line) => line.includes("not exported"));
    expect(lines).toHaveLength(1);
  });

  it("customExporter replaces the Respan exporter and needs no key", async () => {
    const exporter = new InMemorySpanExporter();
    const telemetry = new RespanTelemetry({ customExporter: exporter, env: {} });
    onCleanup(() => telemetry.shutdown());
    withTask({ name: "custom" }, () => 1);
    await telemetry.flush();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(["custom.task"]);
  });

  it("never replaces someone else's global tracer provider; our wrappers still work", async () => {
    const foreignExporter = new InMemorySpanExporter();
    const foreign = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(foreignExporter)] });
    expect(trace.setGlobalTracerProvider(foreign)).toBe(true);
    onCleanup(() => trace.disable());
    const { telemetry, receiver } = await tracedWithReceiver();
    const delegate = (trace.getTracerProvider() as unknown as { getDelegate(): unknown }).getDelegate();
    expect(delegate).toBe(foreign);
    withTask({ name: "still_works" }, () => 1);
    await telemetry.flush();
    expect((await receiver.waitForSpans(1))[0]!.name).toBe("still_works.task");
    expect(foreignExporter.getFinishedSpans()).toHaveLength(0); // no duplicate through the foreign provider
    trace.getTracer("lib").startSpan("foreign.span").end();
    expect(foreignExporter.getFinishedSpans().map((s) => s.name)).toEqual(["foreign.span"]);
  });

  it("createRespanSpanProcessor adds Respan export to another provider", async () => {
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    const processor = createRespanSpanProcessor({ apiKey: "k-abcdef", baseUrl: receiver.url, env: {} });
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    const tracer = provider.getTracer("ai");
    tracer.startSpan("ai.generateText", { attributes: { "gen_ai.system": "openai" } }).end();
    tracer.startSpan("GET /health").end(); // noise, filtered like the default processor
    await provider.forceFlush();
    const spans = await receiver.waitForSpans(1);
    expect(spans.map((s) => s.name)).toEqual(["ai.generateText"]);
    expect(receiver.requests[0]!.headers.authorization).toBe("Bearer k-abcdef");
    await provider.shutdown();
  });

  it("shutdown is idempotent and flushes; spans after it are counted as dropped", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    withTask({ name: "before" }, () => 1);
    const a = telemetry.shutdown();
    expect(telemetry.shutdown()).toBe(a);
    await a;
    expect(receiver.spans.map((s) => s.name)).toEqual(["before.task"]);
    expect(telemetry.withTask({ name: "after" }, () => "still runs")).toBe("still runs");
    expect(telemetry.getDeliveryStats().dropped).toBe(1);
  });
});
