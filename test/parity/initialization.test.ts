/**
 * The Python README's "Initialization" section (examples #1–#10), ported to TypeScript and run
 * against the loopback receiver. snake_case options are camelCase here (app_name → appName).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { Instruments, RespanTelemetry, getClient, withTask } from "../../src/runtime/node.js";
import { startOtlpReceiver, type OtlpReceiver } from "../helpers/otlp-receiver.js";
import { onCleanup, tracedWithReceiver } from "../helpers/setup.js";
import { BATCH_DELAY_MS, FileExporter, MemoryExporter, spanNamesOfEveryCall } from "./parity-helpers.js";

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const quietLogs = () => ({
  info: vi.spyOn(console, "info").mockImplementation(() => undefined),
  warn: vi.spyOn(console, "warn").mockImplementation(() => undefined),
});


describe("Initialization (Python README)", () => {
  it("#1 RespanTelemetry Configuration: appName and apiKey (or RESPAN_API_KEY) send spans to Respan as my-app", async () => {
    const { telemetry, receiver } = await tracedWithReceiver({ appName: "my-app", apiKey: "respan-xxx-1" });
    withTask({ name: "hello" }, () => "hi");
    await telemetry.flush();
    expect(receiver.spans.map((s) => [s.name, s.resource["service.name"]])).toEqual([["hello.task", "my-app"]]);
    expect(receiver.requests[0]!.headers.authorization).toBe("Bearer respan-xxx-1");
    // "Or set RESPAN_API_KEY env var": `env` is the record RESPAN_* are read from (process.env by default).
    const other = await startOtlpReceiver();
    onCleanup(() => other.close());
    const fromEnv = new RespanTelemetry({ appName: "my-app", env: { RESPAN_API_KEY: "respan-env-2", RESPAN_BASE_URL: other.url } });
    onCleanup(() => fromEnv.shutdown());
    withTask({ name: "hello" }, () => "hi");
    await fromEnv.flush();
    expect(other.requests[0]!.headers.authorization).toBe("Bearer respan-env-2");
  });

  it("#2 All Initialization Parameters: every Python parameter has its camelCase option, with the same effect", async () => {
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    const postprocessed: string[] = [];
    const telemetry = new RespanTelemetry({
      appName: "respan",
      apiKey: "respan-xxx-3",
      baseUrl: receiver.url,
      logLevel: "INFO",
      isBatchingEnabled: true,
      instruments: undefined, // undefined = every available instrument
      blockInstruments: undefined,
      headers: { "x-team": "search" },
      resourceAttributes: { "deployment.environment": "staging", "service.version": "1.2.3" },
      spanPostprocessCallback: (span) => void postprocessed.push(span.name),
      isEnabled: true,
      env: {},
    });
    onCleanup(() => telemetry.shutdown());
    withTask({ name: "configured" }, () => 1);
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(span!.resource).toMatchObject({ "service.name": "respan", "deployment.environment": "staging", "service.version": "1.2.3" });
    expect(receiver.requests[0]!.headers["x-team"]).toBe("search");
    expect(postprocessed).toEqual(["configured.task"]);
    for (const instrument of [Instruments.OPENAI, Instruments.ANTHROPIC, Instruments.FETCH]) expect(telemetry.isInstrumentEnabled(instrument)).toBe(true);
    // Defaults when nothing is given. Two differ from Python (see README "Differences from the Python SDK"):
    // the log level (WARNING, not INFO) and the base URL (Respan's current api.respan.ai, not api.respan.co).
    const defaults = new RespanTelemetry({ env: {} });
    onCleanup(() => defaults.shutdown());
    expect(defaults.config).toMatchObject({ appName: "respan", baseUrl: "https://api.respan.ai/api", logLevel: "WARNING", isBatchingEnabled: true, isEnabled: true });
  });

  it("#3 Instrumentation: instruments enables only those, blockInstruments removes some, an empty Set disables all", async () => {
    // Python's REQUESTS / URLLIB3 are HTTP clients: their TypeScript counterpart is FETCH.
    expect(await spanNamesOfEveryCall({ instruments: new Set([Instruments.OPENAI, Instruments.ANTHROPIC]) })).toEqual(["anthropic.completion", "openai.chat", "work.task"]);
    expect(await spanNamesOfEveryCall({ blockInstruments: new Set([Instruments.FETCH]) })).toEqual(["anthropic.completion", "openai.chat", "work.task"]);
    expect(await spanNamesOfEveryCall({ instruments: new Set() })).toEqual(["work.task"]);
    expect(await spanNamesOfEveryCall({})).toEqual(["anthropic.completion", "fetch", "openai.chat", "work.task"]);
  });

  it("#4 Default Behavior: with an apiKey the default Respan processor is added and @kai.task spans are exported", async () => {
    const { telemetry: kai, receiver } = await tracedWithReceiver({ appName: "my-app", apiKey: "your-key-4" });
    // TypeScript decorates classes and methods, not functions: a function is wrapped instead.
    const myTask = kai.task({}, function my_task() {});
    myTask();
    await kai.flush();
    expect(receiver.spans.map((s) => s.name)).toEqual(["my_task.task"]);
    expect(receiver.requests[0]!.headers.authorization).toBe("Bearer your-key-4");
  });

  it("#5 Multiple Exporters (Advanced): addProcessor({ name }) receives only spans whose processors list it", async () => {
    const { telemetry: kai, receiver } = await tracedWithReceiver({ appName: "my-app" });
    const debug = new FileExporter("debug.json");
    kai.addProcessor({ exporter: debug, name: "debug" });
    const normalTask = kai.task({ name: "normal_task" }, () => undefined);
    const debugTask = kai.task({ name: "debug_task", processors: "debug" }, () => undefined);
    const multiTask = kai.task({ name: "multi_task", processors: ["debug", "analytics"] }, () => undefined);
    normalTask();
    debugTask();
    multiTask();
    await kai.flush();
    expect(receiver.spans.map((s) => s.name)).toEqual(["normal_task.task"]);
    expect(debug.lines()).toEqual(["debug_task.task", "multi_task.task"]);
  });

  it("#6 Development (Full Visibility): logLevel DEBUG prints debug lines; every instrument is on", async () => {
    const logs = quietLogs();
    const { telemetry } = await tracedWithReceiver({ appName: "my-app-dev", apiKey: "respan-xxx-6", logLevel: "DEBUG" });
    getClient().updateCurrentSpan({ name: "outside any span" });
    expect(logs.info.mock.calls.map(([line]) => String(line))).toContainEqual(expect.stringContaining("updateCurrentSpan() called outside a recording span"));
    expect(await spanNamesOfEveryCall({ logLevel: "DEBUG" })).toContain("fetch");
    expect(telemetry.config.logLevel).toBe("DEBUG");
  });

  it("#7 Production (Optimized): logLevel WARNING is quiet; blocked HTTP instrumentation makes no spans", async () => {
    const logs = quietLogs();
    const { telemetry } = await tracedWithReceiver({ appName: "my-app-prod", apiKey: "respan-xxx-7", logLevel: "WARNING", blockInstruments: new Set([Instruments.FETCH]) });
    getClient().updateCurrentSpan({ name: "outside any span" });
    expect(logs.info).not.toHaveBeenCalled();
    expect(telemetry.isInstrumentEnabled(Instruments.FETCH)).toBe(false);
    expect(await spanNamesOfEveryCall({ logLevel: "WARNING", blockInstruments: new Set([Instruments.FETCH]) })).toEqual(["anthropic.completion", "openai.chat", "work.task"]);
  });

  it("#8 Backend with Custom Processor (Minimal): no batching, no instruments, a custom processor exports each span as it ends", async () => {
    const direct = new MemoryExporter();
    const telemetry = new RespanTelemetry({ appName: "my-backend", isBatchingEnabled: false, instruments: new Set(), env: {} });
    onCleanup(() => telemetry.shutdown());
    // Python's `telemetry.tracer.add_processor(...)` is `telemetry.addProcessor(...)`; there is no THREADING to block.
    telemetry.addProcessor({ exporter: direct, name: "logging" });
    quietLogs(); // "nothing is exported" warning for the unrouted span below
    withTask({ name: "logged", processors: "logging" }, () => 1);
    expect(direct.names).toEqual(["logged.task"]); // handed over at span end, no flush needed
    withTask({ name: "unrouted" }, () => 2); // no apiKey: no default processor
    await telemetry.flush();
    expect(direct.names).toEqual(["logged.task"]);
    expect(telemetry.isInstrumentEnabled(Instruments.OPENAI)).toBe(false);
  });

  it("#9 Testing/Disabled: isEnabled false makes the SDK a no-op; wrapped functions still run", async () => {
    const { telemetry, receiver } = await tracedWithReceiver({ appName: "my-app-test", isEnabled: false });
    const result = withTask({ name: "not_traced" }, () => getClient().getCurrentTraceId() ?? "no trace");
    expect(result).toBe("no trace");
    await telemetry.flush();
    expect(receiver.spans).toEqual([]);
    expect(receiver.requests).toEqual([]);
  });

  it("#10 Environment Variables: RESPAN_API_KEY, RESPAN_BASE_URL, RESPAN_LOG_LEVEL and RESPAN_BATCHING_ENABLED are read from process.env", async () => {
    const receiver: OtlpReceiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    vi.stubEnv("RESPAN_API_KEY", "respan-env-10");
    vi.stubEnv("RESPAN_BASE_URL", receiver.url);
    vi.stubEnv("RESPAN_LOG_LEVEL", "DEBUG");
    vi.stubEnv("RESPAN_BATCHING_ENABLED", "false");
    quietLogs();
    const telemetry = new RespanTelemetry({ appName: "my-app" });
    onCleanup(() => telemetry.shutdown());
    expect(telemetry.config).toMatchObject({ apiKey: "respan-env-10", baseUrl: `${receiver.url}/api`, logLevel: "DEBUG", isBatchingEnabled: false });
    withTask({ name: "from_env" }, () => 1);
    // Sent as it ends, no flush(): well before a batch would leave (BATCH_DELAY_MS).
    const [span] = await receiver.waitForSpans(1, BATCH_DELAY_MS - 100);
    expect(span!.name).toBe("from_env.task");
    expect(receiver.requests[0]!.headers.authorization).toBe("Bearer respan-env-10");
  });
});
