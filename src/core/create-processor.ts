import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { RESPAN_PROCESSORS } from "./attributes.js";
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
  const queue = new QueueingSpanProcessor(exporter, { batching: config.isBatchingEnabled, logger, maxQueueSize: options.maxQueueSize });
  const withOurResource = createResourceOverride(options, config.appName);
  return {
    onStart: (span: Span, parentContext: Context) => inheritEntityAttributes(span, parentContext),
    onEnd: (span: ReadableSpan) => {
      if (routedHere(span) && isWorthExporting(span)) queue.onEnd(withOurResource(span));
    },
    forceFlush: () => queue.forceFlush(),
    shutdown: () => queue.shutdown(),
  };
}

function routedHere(span: ReadableSpan): boolean {
  const listed = span.attributes[RESPAN_PROCESSORS];
  return !Array.isArray(listed) || listed.map(String).includes(DEFAULT_PROCESSOR);
}
