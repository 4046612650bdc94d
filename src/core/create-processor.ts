import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { RESPAN_PROCESSORS } from "./attributes.js";
import { withholdSpanContent } from "./content-attributes.js";
import { copySpan } from "./span-copy.js";
import { getEntityScope } from "./context-keys.js";
import { describeError } from "./describe-error.js";
import { redactHook } from "./redact-hook.js";
import { inheritEntityAttributes } from "./entity-inheritance.js";
import { createResourceOverride } from "./export-resource.js";
import { refuseKeyInBrowser } from "./key-guard.js";
import { Logger } from "./logger.js";
import { isWorthExporting } from "./noise-filter.js";
import { resolveOptions, type RespanOptions } from "./options.js";
import type { Platform } from "./platform.js";
import { QueueingSpanProcessor } from "./queueing-processor.js";
import { createRespanExporter } from "./respan-exporter.js";

/** The name this processor answers to in `processors`, like RespanTelemetry's Respan processor. */
const DEFAULT_PROCESSOR = "default";

/**
 * A span processor that exports to Respan, for apps whose tracer provider belongs to someone
 * else (NodeSDK, `@vercel/otel`, Sentry, Deno's built-in OTel). It exports what RespanTelemetry's
 * default processor would (SPEC §5) from that provider: spans started inside a wrapper (marked
 * with its workflow name and entity path when they start, as our own provider does), LLM spans,
 * and this SDK's spans; framework spans outside any wrapper are dropped, as are spans routed
 * (`processors`) elsewhere. `appName` becomes `service.name` on what it exports.
 * Refuses an apiKey in a browser build unless `dangerouslyAllowBrowser: true` (SPEC §10).
 */
export function createRespanSpanProcessorFor(options: RespanOptions, platform: Platform): SpanProcessor {
  const config = resolveOptions(options, options.env ?? platform.readEnv());
  refuseKeyInBrowser(platform, config.apiKey, options.dangerouslyAllowBrowser);
  const logger = new Logger(config.logLevel);
  logger.hide(config.apiKey);
  const exporter = options.customExporter ?? createRespanExporter(config, options, platform, logger);
  const queue = new QueueingSpanProcessor(exporter, {
    batching: config.isBatchingEnabled,
    logger,
    maxQueueSize: options.maxQueueSize,
    bounds: platform.queueBounds,
    exportTimeoutMs: (exporter as { maxExportMs?: number }).maxExportMs,
  });
  const withOurResource = createResourceOverride(options, config.appName);
  const redact = redactHook(options);
  // Spans started where content capture is off (globally, or inside a traceContent:false wrapper).
  const contentless = new WeakSet<object>();
  return {
    onStart: (span: Span, parentContext: Context) => {
      inheritEntityAttributes(span, parentContext);
      if (!config.traceContent || getEntityScope(parentContext)?.traceContent === false) contentless.add(span);
    },
    onEnd: (span: ReadableSpan) => {
      if (!routedHere(span) || !isWorthExporting(span)) return;
      // Everything below works on our copy: the other provider's processors see the span unchanged.
      let ours = withOurResource(span);
      if (contentless.has(span)) {
        ours = copySpan(ours, { events: ours.events.map((event) => ({ ...event, attributes: event.attributes ? { ...event.attributes } : undefined })) });
        withholdSpanContent(ours);
      }
      try {
        const result: unknown = options.spanPostprocessCallback?.(ours);
        if (result instanceof Promise) result.catch(() => undefined); // must be synchronous; never an unhandled rejection
      } catch (error) {
        logger.once("processor-postprocess", "WARNING", `spanPostprocessCallback threw; the span is exported as it was: ${describeError(error)}`);
      }
      try {
        redact?.(ours);
      } catch (error) {
        // Fail closed, as RespanTelemetry does: never export what redact should have removed.
        logger.once("processor-redact", "WARNING", `redact threw; the span was not exported: ${describeError(error)}`);
        return;
      }
      queue.onEnd(ours);
    },
    forceFlush: () => queue.forceFlush(),
    shutdown: () => queue.shutdown(),
  };
}

function routedHere(span: ReadableSpan): boolean {
  const listed = span.attributes[RESPAN_PROCESSORS];
  return !Array.isArray(listed) || listed.map(String).includes(DEFAULT_PROCESSOR);
}
