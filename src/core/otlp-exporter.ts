import { context } from "@opentelemetry/api";
import { ExportResultCode, suppressTracing, type ExportResult } from "@opentelemetry/core";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { encodeInBodies } from "./fit-to-size.js";
import type { Logger } from "./logger.js";
import type { RetryPolicy } from "./retry-policy.js";
import type { Transport } from "./transport.js";
import { sendWithRetries, type DeliveryOutcome } from "../transport/retrying.js";

export interface OtlpExporterOptions {
  url: string;
  headers: Record<string, string>;
  transport: Transport;
  policy: RetryPolicy;
  logger: Logger;
  /** Largest request body; bigger batches are split and oversized spans truncated (browsers). */
  maxBodyBytes?: number;
}

/**
 * Exports spans as OTLP/HTTP JSON (OpenTelemetry's own encoder) through a transport, with retries.
 * Failures are logged once per kind of failure, with what to do; never with the headers.
 */
export class OtlpJsonExporter implements SpanExporter {
  private readonly headers: Record<string, string>;

  constructor(private readonly options: OtlpExporterOptions) {
    this.headers = { "Content-Type": "application/json", ...options.headers };
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.send(spans).then(
      (outcome) => done(outcome.ok ? { code: ExportResultCode.SUCCESS } : { code: ExportResultCode.FAILED, error: new Error(describe(outcome)) }),
      (error: unknown) => done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) }),
    );
  }

  private async send(spans: ReadableSpan[]): Promise<DeliveryOutcome> {
    const { bodies, unsendable } = this.encode(spans);
    if (unsendable.length > 0) {
      this.options.logger.once("unsendable", "ERROR", `${unsendable.length} span(s) could not be made to fit one request and were dropped`);
    }
    let outcome: DeliveryOutcome = { ok: true, attempts: 0 };
    for (const body of bodies) {
      // Exporting must never be traced, or every export would create spans to export.
      outcome = await context.with(suppressTracing(context.active()), () =>
        sendWithRetries(this.options.transport, { url: this.options.url, body, headers: this.headers }, { policy: this.options.policy }),
      );
      if (!outcome.ok) {
        this.report(outcome, spans.length);
        return outcome;
      }
    }
    return unsendable.length > 0 ? { ok: false, attempts: 0, reason: "status", status: 413 } : outcome;
  }

  private encode(spans: ReadableSpan[]): { bodies: Uint8Array[]; unsendable: ReadableSpan[] } {
    const encode = (group: ReadableSpan[]) => JsonTraceSerializer.serializeRequest(group) ?? new Uint8Array();
    const { maxBodyBytes } = this.options;
    return maxBodyBytes ? encodeInBodies(spans, maxBodyBytes, encode) : { bodies: [encode(spans)], unsendable: [] };
  }

  private report(outcome: Exclude<DeliveryOutcome, { ok: true }>, count: number): void {
    const { logger, url } = this.options;
    const kind = outcome.reason === "network" ? "network" : `status-${outcome.status ?? "deadline"}`;
    logger.once(`export-${kind}`, "ERROR", `could not export ${count} span(s) to ${url}: ${describe(outcome)}. ${advice(outcome)}`);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function describe(outcome: DeliveryOutcome): string {
  if (outcome.ok) return "ok";
  const attempts = `after ${outcome.attempts} attempt(s)`;
  if (outcome.reason === "status") return `HTTP ${outcome.status} ${attempts}`;
  if (outcome.reason === "network") return `network error "${outcome.message}" ${attempts}`;
  return `gave up at the retry deadline ${attempts}${outcome.status ? ` (last HTTP ${outcome.status})` : ""}`;
}

function advice(outcome: Exclude<DeliveryOutcome, { ok: true }>): string {
  if (outcome.reason === "status" && (outcome.status === 401 || outcome.status === 403)) {
    return "Check RESPAN_API_KEY (or the apiKey option).";
  }
  if (outcome.reason === "status" && outcome.status === 404) return "Check RESPAN_BASE_URL / baseUrl / exportUrl.";
  if (outcome.reason === "network") return "Check that the endpoint is reachable from this runtime.";
  return "The spans of this batch were dropped; later batches are still sent.";
}
