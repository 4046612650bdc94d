import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { Logger } from "./logger.js";
import { tracesUrl, type ResolvedOptions, type RespanOptions } from "./options.js";
import { OtlpJsonExporter } from "./otlp-exporter.js";
import type { Platform } from "./platform.js";
import { resolveRetryPolicy } from "./retry-policy.js";

/** The exporter to Respan (or `exportUrl`): Bearer auth when there is a key, plus the user's headers. */
export function createRespanExporter(config: ResolvedOptions, options: RespanOptions, platform: Platform, logger: Logger): OtlpJsonExporter {
  const headers: Record<string, string> = { ...config.headers };
  if (config.apiKey) headers.Authorization = `Bearer ${config.apiKey}`;
  return new OtlpJsonExporter({
    url: tracesUrl(config),
    headers,
    transport: platform.createTransport(),
    policy: resolveRetryPolicy(options.retry),
    logger,
    fitBodies: platform.fitBodies,
  });
}

/** The default processor's exporter: the user's `customExporter`, else Respan's when there is somewhere to send to. */
export function defaultExporter(config: ResolvedOptions, options: RespanOptions, platform: Platform, logger: Logger): SpanExporter | undefined {
  if (options.customExporter) return options.customExporter;
  if (!config.apiKey && !config.exportUrl) return undefined;
  return createRespanExporter(config, options, platform, logger);
}
