import { context, trace, type Context, type Span, type SpanOptions, type Tracer } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { TRACER_NAME, type EntityKind } from "./attributes.js";
import { RespanClient } from "./client.js";
import { SPAN_BUFFER_KEY } from "./context-keys.js";
import { runEntity, type EntityOptions } from "./entity-span.js";
import { claimFreeGlobals, claimGlobals, globalsClaim, releaseGlobals } from "./globals.js";
import { activeHost, registerInstance, unregisterInstance, type TracingHost } from "./host.js";
import { BufferAwareIdGenerator } from "./id-generator.js";
import { installInstrumentations, isInstrumentEnabled } from "./instrumentation.js";
import { refuseKeyInBrowser } from "./key-guard.js";
import { Logger } from "./logger.js";
import { isWorthExporting } from "./noise-filter.js";
import { resolveOptions, type Instruments, type RespanOptions, type ResolvedOptions } from "./options.js";
import type { Platform } from "./platform.js";
import { getRequestScope, type WaitUntil } from "./request-scope.js";
import { QueueingSpanProcessor, type DeliveryStats } from "./queueing-processor.js";
import { createRespanExporter } from "./respan-exporter.js";
import { SpanBuffer, type SpanBufferOptions } from "./span-buffer.js";
import { SpanRouter } from "./span-router.js";
import { VERSION } from "./version.js";

/** `telemetry.addProcessor(...)`: another destination for spans (SPEC §5). */
export interface ProcessorConfig {
  exporter: SpanExporter;
  /** Spans listing this name in `processors` go here. "default" is the Respan processor's name. */
  name?: string;
  /** Must also pass; alone (no name) it selects which unrouted spans come here. */
  filter?: (span: ReadableSpan) => boolean;
  /** Default: the telemetry's isBatchingEnabled. */
  isBatchingEnabled?: boolean;
}

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
  private readonly uninstallFlushTriggers: () => void;
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
    this.enabled = this.config.isEnabled;
    this.traceContent = this.config.traceContent;
    this.router = new SpanRouter({
      logger: this.logger,
      postprocess: options.spanPostprocessCallback,
      redact: redactHook(options),
      afterResponse: (scope) => scope.handOff(this.flush()),
    });
    const construct = () =>
      new BasicTracerProvider({
        resource: resourceFromAttributes({ "service.name": this.config.appName, ...(options.resourceAttributes ?? {}) }),
        idGenerator: this.ids,
        // globalsClaim first: it registers the free globals before the first span's context.with.
        spanProcessors: [globalsClaim, this.router],
      });
    this.provider = platform.guardEnvironment ? platform.guardEnvironment(construct) : construct();
    this.tracer = this.provider.getTracer(TRACER_NAME, VERSION);
    const previous = registerInstance(this);
    if (previous) this.logger.debug("a new RespanTelemetry replaces the previous one; wrappers now use the new instance");
    if (!this.enabled) {
      this.uninstallFlushTriggers = () => undefined;
      return;
    }
    claimGlobals(this.provider, platform, this.logger);
    this.addDefaultProcessor();
    // After the exporter captured its fetch, so the FETCH instrument never sees our exports.
    installInstrumentations(
      platform.instrumentors ?? [],
      (instrument) => this.isInstrumentEnabled(instrument),
      options.instrumentModules ?? {},
      platform.discoverModule?.bind(platform),
      this.logger,
    );
    this.uninstallFlushTriggers = platform.installFlushTriggers(() => this.router.flushNow().catch(() => undefined));
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
    const { customExporter } = this.options;
    if (customExporter) {
      this.addProcessor({ name: "default", exporter: customExporter, filter: isWorthExporting });
      return;
    }
    const { apiKey, exportUrl } = this.config;
    if (!apiKey && !exportUrl) {
      this.logger.debug("no apiKey, exportUrl or customExporter: the default processor is not added");
      return;
    }
    const exporter = createRespanExporter(this.config, this.options, this.platform, this.logger);
    this.addProcessor({ name: "default", exporter, filter: isWorthExporting });
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

  async processSpans(spans: readonly ReadableSpan[]): Promise<boolean> {
    try {
      for (const span of spans) this.router.route(span);
      return true;
    } catch (error) {
      this.logger.once("process-spans", "ERROR", `processSpans failed: ${String(error)}`);
      return false;
    }
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
   * Exports everything queued so far; resolves when done, never rejects. Inside an instrumented
   * request it first waits for the user's own `waitUntil` work (which may still make spans).
   * With `waitUntil`, the flush is also handed to the runtime so it outlives the response.
   * @example
   * ctx.waitUntil(telemetry.flush()); // or: telemetry.flush({ waitUntil: ctx.waitUntil.bind(ctx) })
   */
  flush(options: { waitUntil?: WaitUntil } = {}): Promise<void> {
    const scope = getRequestScope(context.active());
    const work = (async () => {
      try {
        await scope?.settled();
        await this.router.forceFlush();
      } catch (error) {
        this.logger.once("flush", "ERROR", `flush failed: ${String(error)}`);
      }
    })();
    try {
      options.waitUntil?.(work);
    } catch (error) {
      this.logger.once("flush-wait-until", "WARNING", `waitUntil refused the flush: ${String(error)}`);
    }
    return work;
  }

  /** Flushes, then stops this instance. Safe to call more than once. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      this.uninstallFlushTriggers();
      await this.flush();
      await this.router.shutdown().catch(() => undefined);
      releaseGlobals(this.provider, activeHost()?.tracerProvider);
      unregisterInstance(this);
    })();
    return this.shutdownPromise;
  }
}

function redactHook(options: RespanOptions): ((span: ReadableSpan) => void) | undefined {
  const redact = options.redact;
  if (!redact) return undefined;
  return (span) => {
    const result = redact({ ...span.attributes }, span);
    if (!result) return;
    const attributes = span.attributes as Record<string, unknown>;
    for (const key of Object.keys(attributes)) if (!(key in result)) delete attributes[key];
    Object.assign(attributes, result);
  };
}

