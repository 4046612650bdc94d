import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Logger } from "./logger.js";
import { isWorthExporting } from "./noise-filter.js";
import { resolveOptions, type RespanOptions } from "./options.js";
import type { Platform } from "./platform.js";
import { QueueingSpanProcessor } from "./queueing-processor.js";
import { createRespanExporter } from "./respan-exporter.js";

/**
 * A span processor that exports to Respan, for apps whose tracer provider belongs to someone
 * else (`@vercel/otel`, Sentry, Deno's built-in OTel). Applies the default processor's noise filter.
 */
export function createRespanSpanProcessorFor(options: RespanOptions, platform: Platform): SpanProcessor {
  const config = resolveOptions(options, options.env ?? platform.readEnv());
  const logger = new Logger(config.logLevel);
  logger.hide(config.apiKey);
  const exporter = options.customExporter ?? createRespanExporter(config, options, platform, logger);
  const queue = new QueueingSpanProcessor(exporter, { batching: config.isBatchingEnabled, logger, maxQueueSize: options.maxQueueSize });
  return {
    onStart: (_span: Span, _ctx: Context) => undefined,
    onEnd: (span: ReadableSpan) => {
      if (isWorthExporting(span)) queue.onEnd(span);
    },
    forceFlush: () => queue.forceFlush(),
    shutdown: () => queue.shutdown(),
  };
}
