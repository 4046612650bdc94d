import { trace, type Context, type Span, type SpanOptions, type Tracer } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import type { BasicTracerProvider, ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { TRACER_NAME, type EntityKind } from "./attributes.js";
import { RespanClient } from "./client.js";
import { SPAN_BUFFER_KEY } from "./context-keys.js";
import { runEntity, type EntityOptions } from "./entity-span.js";
import { kindFactory, type EntityFactory } from "./span-kinds.js";
import { EXIT_FLUSH_MS, FLUSH_TIMEOUT_MS, settleWithin, timeoutOrDefault } from "./deadline.js";
import { claimFreeGlobals, claimGlobals, globalsClaim, releaseGlobals } from "./globals.js";
import { activeHost, registerInstance, unregisterInstance, type TracingHost } from "./host.js";
import { installFlushTriggersOnce } from "./exit-flush.js";
import { BufferAwareIdGenerator } from "./id-generator.js";
import { checkInstrumentList, installInstrumentations, isInstrumentEnabled, isNativeSpanOfDisabledInstrument } from "./instrumentation.js";
import { refuseKeyInBrowser } from "./key-guard.js";
import { Logger } from "./logger.js";
import { isWorthExporting } from "./noise-filter.js";
import { redactHook } from "./redact-hook.js";
import { resolveOptions, type Instruments, type RespanOptions, type ResolvedOptions } from "./options.js";
import type { Platform } from "./platform.js";
import type { WaitUntil } from "./request-scope.js";
import { QueueingSpanProcessor, type DeliveryStats } from "./queueing-processor.js";
import { defaultExporter } from "./respan-exporter.js";
import { SpanBuffer, type SpanBufferOptions } from "./span-buffer.js";
import { SpanRouter } from "./span-router.js";
import type { ProcessorConfig } from "./processor-config.js";
import { VERSION } from "./version.js";
import { describeError } from "./describe-error.js";
import { warnOpenSpans, warnUndelivered } from "./delivery-warnings.js";

/**
 * The SDK's entry point: an OpenTelemetry tracer provider with Respan export, routing and
 * sampling. Construction is synchronous, does no I/O and starts no timer.
 * @example
 * const telemetry = new RespanTelemetry({ appName: "joke-app" }); // RESPAN_API_KEY from the environment
 * await telemetry.withWorkflow({ name: "joke_workflow" }, run);
 * await telemetry.flush();
 */
export class RespanTelemetryCore implements TracingHost {
  readonly enabled: boolean;
  readonly traceContent: boolean;
  readonly logger: Logger;
  readonly tracer: Tracer;
  /** The options after defaults and environment variables were applied. */
  readonly config: ResolvedOptions;
  private readonly provider: BasicTracerProvider;
  private readonly router: SpanRouter;
  private readonly ids = new BufferAwareIdGenerator();
  private readonly client = new RespanClient(() => this);
  private shutdownPromise: Promise<void> | undefined;

  constructor(
    /** The options as given (see `config` for the resolved ones). */
    readonly options: RespanOptions = {},
    private readonly platform: Platform,
  ) {
    this.config = resolveOptions(options, options.env ?? platform.readEnv());
    this.logger = new Logger(this.config.logLevel);
    this.logger.hide(this.config.apiKey);
    refuseKeyInBrowser(platform, this.config.apiKey, options.dangerouslyAllowBrowser);
    checkInstrumentList("instruments", options.instruments);
    checkInstrumentList("blockInstruments", options.blockInstruments);
    this.enabled = this.config.isEnabled;
    this.traceContent = this.config.traceContent;
    this.router = new SpanRouter({
      logger: this.logger,
      traceContent: this.traceContent,
      postprocess: options.spanPostprocessCallback,
      redact: redactHook(options),
      afterResponse: (scope) => scope.handOff(this.flush()),
      isBlocked: (span) => isNativeSpanOfDisabledInstrument(span.instrumentationScope?.name, (instrument) => this.isInstrumentEnabled(instrument)),
    });
    const construct = () =>
      platform.createTracerProvider({
        resource: resourceFromAttributes({ "service.name": this.config.appName, ...(options.resourceAttributes ?? {}) }),
        idGenerator: this.ids,
        // globalsClaim first: it registers the free globals before the first span's context.with.
        spanProcessors: [globalsClaim, this.router],
      });
    this.provider = platform.guardEnvironment ? platform.guardEnvironment(construct) : construct();
    this.tracer = this.provider.getTracer(TRACER_NAME, VERSION);
    const previous = registerInstance(this);
    if (previous) this.logger.debug("a new RespanTelemetry replaces the previous one; wrappers now use the new instance");
    if (!this.enabled) return;
    try {
      claimGlobals(this.provider, platform, this.logger);
      this.addDefaultProcessor();
    } catch (error) {
      // Bad options (e.g. a customExporter that is not one): no half-built instance stays current.
      unregisterInstance(this);
      releaseGlobals(this.provider, activeHost()?.tracerProvider);
      throw error;
    }
    // After the exporter captured its fetch, so the FETCH instrument never sees our exports.
    this.safely("instrumentation", () =>
      installInstrumentations(
        platform.instrumentors ?? [],
        (instrument) => this.isInstrumentEnabled(instrument),
        options.instrumentModules ?? {},
        platform.discoverModule?.bind(platform),
        this.logger,
      ),
    );
    this.safely("flush-triggers", () => installFlushTriggersOnce(platform));
  }

  /** Runs an optional part of construction; a runtime lacking what it needs only loses that part. */
  private safely(part: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.logger.once(`construct-${part}`, "WARNING", `could not set up ${part} in this runtime (${describeError(error)}); tracing works without it`);
    }
  }

  get linkSlot() {
    return this.platform.linkSlot;
  }

  /** Which build is running: "node", "deno", "workerd", "edge-light" or "browser". */
  get runtime(): string {
    return this.platform.name;
  }

  /** The OpenTelemetry provider behind this instance (registered globally unless another one was). */
  get tracerProvider(): BasicTracerProvider {
    return this.provider;
  }

  isInstrumentEnabled(instrument: Instruments): boolean {
    return isInstrumentEnabled(instrument, this.options.instruments, this.options.blockInstruments);
  }

  get isShutdown(): boolean {
    return this.shutdownPromise !== undefined;
  }

  private addDefaultProcessor(): void {
    const exporter = defaultExporter(this.config, this.options, this.platform, this.logger);
    if (exporter) this.addProcessor({ name: "default", exporter, filter: isWorthExporting });
    else this.logger.debug("no apiKey, exportUrl or customExporter: the default processor is not added");
  }

  /** Adds a destination; spans are routed to it by name and/or filter (SPEC §5). */
  addProcessor(config: ProcessorConfig): void {
    if (!config || typeof config.exporter?.export !== "function") {
      throw new TypeError("addProcessor(): pass { exporter } where exporter is an OpenTelemetry SpanExporter");
    }
    const processor = new QueueingSpanProcessor(config.exporter, {
      batching: config.isBatchingEnabled ?? this.config.isBatchingEnabled,
      logger: this.logger,
      maxQueueSize: this.options.maxQueueSize,
      bounds: this.platform.queueBounds,
      // Ours retries for up to a minute; give it that long before counting a batch as failed.
      exportTimeoutMs: (config.exporter as { maxExportMs?: number }).maxExportMs,
    });
    this.router.add({ name: config.name, filter: config.filter, processor });
  }

  startSpan(name: string, options: SpanOptions, parent: Context): Span {
    // A root span of a SpanBuffer takes the buffer's trace id (the generator reads it synchronously).
    const buffer = parent.getValue(SPAN_BUFFER_KEY) as SpanBuffer | undefined;
    this.ids.nextTraceId = buffer && !trace.getSpanContext(parent) ? buffer.otelTraceId : undefined;
    try {
      return this.tracer.startSpan(name, options, parent);
    } finally {
      this.ids.nextTraceId = undefined;
    }
  }

  setSampleRate(span: Span, rate: number): void {
    if (!(rate >= 0 && rate <= 1)) {
      this.logger.once(`bad-rate-${rate}`, "WARNING", `sampleRate must be between 0 and 1, got ${rate}; the span is always exported`);
      return;
    }
    this.router.setSampleRate(span, rate);
  }

  /** Routes each span on its own: one malformed span costs only itself. False if any failed. */
  async processSpans(spans: readonly ReadableSpan[]): Promise<boolean> {
    if (!Array.isArray(spans)) return false;
    let ok = true;
    for (const span of spans) {
      try {
        this.router.route(span);
      } catch (error) {
        ok = false;
        this.logger.once("process-spans", "ERROR", `processSpans: a span could not be processed and was skipped: ${describeError(error)}`);
      }
    }
    return ok;
  }

  createSpanBuffer(traceId: string, options: SpanBufferOptions = {}): SpanBuffer {
    claimFreeGlobals(); // buffer.run() enters its context before any span starts
    return new SpanBuffer(this, traceId, options, () => this.ids.generateTraceId());
  }

  getClient(): RespanClient {
    return this.client;
  }

  getTracer(): Tracer {
    return this.tracer;
  }

  /** Counts of spans exported, failed, dropped (queue full) and still queued, over all processors. */
  getDeliveryStats(): DeliveryStats {
    return this.router.stats();
  }

  /**
   * Wrapper factories / decorators bound to THIS instance (Python's `@kai.task(...)`), whichever
   * instance is current when the function runs.
   * @example
   * const kai = new RespanTelemetry({ appName: "joke-app" });
   * const createJoke = kai.task({ name: "joke_creation" }, async () => llm("pirates"));
   * class Agent { @kai.workflow({ name: "run" }) async run() { … } }
   */
  readonly workflow: EntityFactory = kindFactory("workflow", () => this);
  readonly task: EntityFactory = kindFactory("task", () => this);
  readonly agent: EntityFactory = kindFactory("agent", () => this);
  readonly tool: EntityFactory = kindFactory("tool", () => this);

  withWorkflow<R>(options: EntityOptions, fn: () => R): R {
    return this.run("workflow", options, fn);
  }
  withTask<R>(options: EntityOptions, fn: () => R): R {
    return this.run("task", options, fn);
  }
  withAgent<R>(options: EntityOptions, fn: () => R): R {
    return this.run("agent", options, fn);
  }
  withTool<R>(options: EntityOptions, fn: () => R): R {
    return this.run("tool", options, fn);
  }

  private run<R>(kind: EntityKind, options: EntityOptions, fn: () => R): R {
    return runEntity(this, kind, options, fn, undefined, []);
  }

  /**
   * Exports everything queued so far; resolves when done or after `timeoutMs` (default 30 s),
   * whichever comes first, and never rejects. What was not delivered by then stays queued (or in
   * flight) and is counted in `getDeliveryStats().queued`. With `waitUntil`, the flush is also
   * handed to the runtime so it outlives the response. Inside `instrumentWorker` / `withRespan`
   * the wrapper already flushes after the response and the user's waitUntil work.
   * @example
   * ctx.waitUntil(telemetry.flush()); // or: telemetry.flush({ waitUntil: ctx.waitUntil.bind(ctx) })
   * await telemetry.flush({ timeoutMs: 2000 }); // a CLI that must end promptly
   */
  flush(options: { waitUntil?: WaitUntil; timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = timeoutOrDefault(options?.timeoutMs, FLUSH_TIMEOUT_MS);
    const work = settleWithin(this.router.forceFlush(), timeoutMs).then((finished) => {
      if (!finished) warnUndelivered(this.logger, this.router, "flush()", timeoutMs);
    });
    try {
      options?.waitUntil?.(work);
    } catch (error) {
      this.logger.once("flush-wait-until", "WARNING", `waitUntil refused the flush: ${describeError(error)}`);
    }
    return work;
  }

  /**
   * Flushes, then stops this instance; resolves by `timeoutMs` (default 30 s) whatever the
   * exporter does, giving up on exports still in flight then. Safe to call more than once.
   */
  shutdown(options: { timeoutMs?: number } = {}): Promise<void> {
    this.shutdownPromise ??= (async () => {
      const timeoutMs = timeoutOrDefault(options?.timeoutMs, FLUSH_TIMEOUT_MS);
      const finished = await settleWithin(this.router.shutdown(), timeoutMs);
      warnOpenSpans(this.logger, this.router, "shutdown()");
      if (!finished) {
        // Counted before the abort: aborted exports answer at once and would no longer count as queued.
        warnUndelivered(this.logger, this.router, "shutdown()", timeoutMs);
        this.router.abortInFlight();
      }
      unregisterInstance(this);
      try {
        releaseGlobals(this.provider, activeHost()?.tracerProvider);
      } catch (error) {
        // shutdown() never rejects: a runtime refusing to undo a registration only logs.
        this.logger.once("release-globals", "WARNING", `could not release OpenTelemetry globals: ${describeError(error)}`);
      }
    })();
    return this.shutdownPromise;
  }

  /**
   * The flush run when the process exits or the page is left: everything queued is sent at once.
   * Where that means the process ends (Node, Deno), exports still unanswered after EXIT_FLUSH_MS
   * are given up, so a script with a dead endpoint still ends promptly.
   */
  async flushBeforeExit(): Promise<void> {
    // Where the process ends now, a span still open never ends: say so rather than lose it quietly.
    if (this.platform.abortsAtExitDeadline) warnOpenSpans(this.logger, this.router, "exit");
    const finished = await settleWithin(this.router.flushNow(), EXIT_FLUSH_MS);
    if (finished) return;
    // Counted before the abort, as in shutdown().
    warnUndelivered(this.logger, this.router, "the exit flush", EXIT_FLUSH_MS);
    if (this.platform.abortsAtExitDeadline) this.router.abortInFlight();
  }
}
