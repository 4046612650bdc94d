import type { ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { refuseKeyInBrowser } from "./key-guard.js";
import { Logger } from "./logger.js";
import { resolveOptions, type RespanOptions } from "./options.js";
import type { OtlpJsonExporter } from "./otlp-exporter.js";
import type { Platform } from "./platform.js";
import type { RetryPolicy } from "./retry-policy.js";
import { createRespanExporter } from "./respan-exporter.js";

/** Options of `new RespanSpanExporter(…)`, as in the Python SDK (`endpoint`, `api_key`). */
export interface RespanSpanExporterOptions {
  /** The Respan API root, with or without `/api` (as `baseUrl`); spans go to `…/api/v2/traces`. */
  endpoint?: string;
  /** A full OTLP URL instead (a relay, a Collector). */
  exportUrl?: string;
  apiKey?: string;
  headers?: Record<string, string>;
  retry?: Partial<RetryPolicy>;
  logLevel?: string;
  /** Allow an `apiKey` in a browser build (every visitor could read it). */
  dangerouslyAllowBrowser?: boolean;
}

/**
 * The Respan OTLP exporter as a standalone OpenTelemetry `SpanExporter`: a second Respan
 * destination (another project, another key) for `addProcessor`, or an exporter for someone
 * else's provider. Retries, bounded waits and key hiding as for the default processor.
 */
export class RespanSpanExporterCore implements SpanExporter {
  private readonly inner: OtlpJsonExporter;

  constructor(options: RespanSpanExporterOptions, platform: Platform) {
    const given: RespanOptions = {
      apiKey: options?.apiKey,
      baseUrl: options?.endpoint,
      exportUrl: options?.exportUrl,
      headers: options?.headers,
      retry: options?.retry,
      logLevel: options?.logLevel,
    };
    // Only what is given here: a second destination must not pick up the default one's RESPAN_* variables.
    const config = resolveOptions(given, {});
    refuseKeyInBrowser(platform, config.apiKey, options?.dangerouslyAllowBrowser);
    const logger = new Logger(config.logLevel);
    logger.hide(config.apiKey);
    this.inner = createRespanExporter(config, given, platform, logger);
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, done);
  }

  /** How long one export may take (its retries included): the queue waits that long. */
  get maxExportMs(): number {
    return this.inner.maxExportMs;
  }

  /** Gives up on exports in flight (a shutdown or exit flush past its deadline). */
  abort(): void {
    this.inner.abort();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
