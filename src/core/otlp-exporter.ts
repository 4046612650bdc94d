import { context } from "@opentelemetry/api";
import { ExportResultCode, suppressTracing, type ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { Logger } from "./logger.js";
import { encodeOtlpJson } from "./otlp-json.js";
import type { RetryPolicy } from "./retry-policy.js";
import type { FitBodies, Transport } from "./transport.js";
import { sendWithRetries, type DeliveryOutcome } from "../transport/retrying.js";
import { describeError } from "./describe-error.js";

export interface OtlpExporterOptions {
  url: string;
  headers: Record<string, string>;
  transport: Transport;
  policy: RetryPolicy;
  logger: Logger;
  /**
   * Browsers: encodes into bodies under the request quota (bigger batches split, oversized spans
   * truncated; see fit-to-size.ts). Elsewhere absent, so that code is not in those bundles.
   */
  fitBodies?: FitBodies;
}

/**
 * Exports spans as OTLP/HTTP JSON (otlp-json.ts: what OpenTelemetry's own encoder writes) through
 * a transport, with retries.
 * Failures are logged once per kind of failure, with what to do; never with the headers.
 */
export class OtlpJsonExporter implements SpanExporter {
  private readonly headers: Record<string, string>;
  /**
   * One controller per export in flight, made by that export: workerd forbids using an I/O
   * object (an AbortSignal passed to fetch) made by another request.
   */
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly options: OtlpExporterOptions) {
    this.headers = { "Content-Type": "application/json", ...options.headers };
  }

  /**
   * Sends `spans`. Spans that cannot be encoded or made to fit are dropped alone (the rest of the
   * batch is sent) and reported in the result's `rejected` count, which the queue counts as failed.
   * A failed result says in `delivered` how many spans earlier requests of the batch did deliver
   * (browsers split a batch into several bodies): the queue counts those as exported.
   */
  export(spans: ReadableSpan[], done: (result: ExportResult & { rejected?: number; delivered?: number }) => void): void {
    this.send(spans)
      .then(
        ({ outcome, rejected, delivered }) =>
          done(outcome.ok ? { code: ExportResultCode.SUCCESS, rejected } : { code: ExportResultCode.FAILED, error: new Error(describe(outcome)), delivered }),
        (error: unknown) => done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) }),
      )
      // Someone else's processor calling us (RespanSpanExporter) may have a callback that throws:
      // said once, never an unhandled rejection (which ends a Node process).
      .catch((error: unknown) => this.options.logger.once("export-callback", "ERROR", `the export's result callback threw: ${describeError(error)}`));
  }

  /** Longest one export can take: the retry deadline plus one last request's own timeout (10 s). */
  get maxExportMs(): number {
    return this.options.policy.deadlineMs + 15_000;
  }

  /** Gives up on the exports in flight now (their spans count as failed); later exports are unaffected. */
  abort(): void {
    for (const controller of this.inFlight) controller.abort();
  }

  /**
   * Encodes now and lets go of the spans: only the bodies wait for the answers. (An async function
   * would keep its `spans` argument, and with it every span of the batch, alive until the last
   * answer: in a burst, that is up to maxConcurrentExports batches of spans for the garbage
   * collector to copy again and again.)
   */
  private send(spans: ReadableSpan[]): Promise<Delivery> {
    try {
      const { bodies, counts, unsendable, bad } = this.encode(spans);
      if (bad.length > 0) {
        this.options.logger.once("unencodable", "ERROR", `${bad.length} span(s) could not be encoded as OTLP (malformed, e.g. deserialized with missing fields) and were dropped; the rest of the batch was sent. First error: ${bad[0]}`);
      }
      if (unsendable.length > 0) {
        this.options.logger.once("unsendable", "ERROR", `${unsendable.length} span(s) could not be made to fit one request and were dropped`);
      }
      return this.deliver(bodies, counts, bad.length + unsendable.length);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** `counts[i]`: the spans in `bodies[i]`. */
  private async deliver(bodies: Uint8Array[], counts: number[], rejected: number): Promise<Delivery> {
    let outcome: DeliveryOutcome = { ok: true, attempts: 0 };
    let delivered = 0;
    const controller = new AbortController();
    this.inFlight.add(controller);
    try {
      for (let i = 0; i < bodies.length; i++) {
        const body = bodies[i]!;
        // Exporting must never be traced, or every export would create spans to export.
        outcome = await context.with(suppressTracing(context.active()), () =>
          sendWithRetries(this.options.transport, { url: this.options.url, body, headers: this.headers, signal: controller.signal }, { policy: this.options.policy }),
        );
        if (!outcome.ok) {
          let lost = 0;
          for (let j = i; j < counts.length; j++) lost += counts[j]!;
          this.report(outcome, lost);
          return { outcome, rejected, delivered };
        }
        delivered += counts[i]!;
      }
      return { outcome, rejected, delivered };
    } finally {
      this.inFlight.delete(controller);
    }
  }

  /**
   * Request bodies for `spans`. The whole batch is encoded at once; only when the encoder throws
   * is each span tried alone, so one malformed span costs only itself (`bad`: why each failed).
   */
  private encode(spans: ReadableSpan[]): Bodies & { bad: string[] } {
    const bad: string[] = [];
    const wellFormed = spans.every(hasValidIds) ? spans : spans.filter((span) => hasValidIds(span) || (bad.push("missing or malformed trace/span id"), false));
    try {
      return { ...this.encodeInBodies(wellFormed), bad };
    } catch {
      const encodable: ReadableSpan[] = [];
      for (const span of wellFormed) {
        try {
          encodeOtlpJson([span]);
          encodable.push(span);
        } catch (error) {
          bad.push(describeError(error));
        }
      }
      return { ...this.encodeInBodies(encodable), bad };
    }
  }

  private encodeInBodies(spans: ReadableSpan[]): Bodies {
    if (spans.length === 0) return { bodies: [], counts: [], unsendable: [] };
    const { fitBodies } = this.options;
    return fitBodies ? fitBodies(spans, encodeOtlpJson) : { bodies: [encodeOtlpJson(spans)], counts: [spans.length], unsendable: [] };
  }

  private report(outcome: Exclude<DeliveryOutcome, { ok: true }>, count: number): void {
    const { logger, url } = this.options;
    // Giving up is the caller's decision (a flush or shutdown deadline), said by the caller.
    if (outcome.reason === "aborted") return;
    const kind = outcome.reason === "network" ? "network" : `status-${outcome.status ?? "deadline"}`;
    logger.once(`export-${kind}`, "ERROR", `could not export ${count} span(s) to ${url}: ${describe(outcome)}. ${advice(outcome, "Authorization" in this.headers)}`);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

type Bodies = ReturnType<FitBodies>;

/** How an export ended; `delivered`: spans of the batch the endpoint accepted (all of them when ok). */
interface Delivery {
  outcome: DeliveryOutcome;
  rejected: number;
  delivered: number;
}

/**
 * A span without valid ids would be encoded, but a backend may reject the whole request for it
 * (and it could never be placed in a trace): such a span is dropped alone.
 */
function hasValidIds(span: ReadableSpan): boolean {
  try {
    const { traceId, spanId } = span.spanContext();
    return typeof traceId === "string" && traceId.length === 32 && typeof spanId === "string" && spanId.length === 16;
  } catch {
    return false;
  }
}

function describe(outcome: DeliveryOutcome): string {
  if (outcome.ok) return "ok";
  if (outcome.reason === "aborted") return `given up (flush or shutdown deadline) after ${outcome.attempts} attempt(s)`;
  const attempts = `after ${outcome.attempts} attempt(s)`;
  if (outcome.reason === "status") return `HTTP ${outcome.status} ${attempts}`;
  if (outcome.reason === "network") return `network error "${outcome.message}" ${attempts}`;
  return `gave up at the retry deadline ${attempts}${outcome.status ? ` (last HTTP ${outcome.status})` : ""}`;
}

function advice(outcome: Exclude<DeliveryOutcome, { ok: true }>, sentKey: boolean): string {
  if (outcome.reason === "status" && (outcome.status === 401 || outcome.status === 403)) {
    // Without a key we are talking to a relay (browsers) or a collector: the key is not ours to fix.
    return sentKey
      ? "Check RESPAN_API_KEY (or the apiKey option)."
      : "The endpoint refused the request: if it is a createTraceRelay route, check its allowedOrigins and its apiKey.";
  }
  if (outcome.reason === "status" && outcome.status === 404) return "Check RESPAN_BASE_URL / baseUrl / exportUrl.";
  if (outcome.reason === "network") return "Check that the endpoint is reachable from this runtime.";
  return "The spans of this batch were dropped; later batches are still sent.";
}
