/** What the trace list shows for one trace, computed from its spans. */
import type { ViewerSpan } from "./otlp-decode.js";

export interface TraceSummary {
  traceId: string;
  rootName: string;
  service: string;
  /** Milliseconds since the epoch. */
  startMs: number;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  totalTokens: number;
}

/** OTLP's STATUS_CODE_ERROR. */
const STATUS_ERROR = 2;

const nanosToMs = (nanos: string): number => Number(BigInt(nanos) / 1000n) / 1000;
const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

/**
 * Tokens one span used. Input and output are summed; the SDK writes both the current names
 * (input/output_tokens) and the older ones (prompt/completion_tokens) for the same count, so
 * they are alternatives, not addends.
 */
export function spanTokens(attributes: Record<string, unknown>): number {
  const input = num(attributes["gen_ai.usage.input_tokens"]) ?? num(attributes["gen_ai.usage.prompt_tokens"]);
  const output = num(attributes["gen_ai.usage.output_tokens"]) ?? num(attributes["gen_ai.usage.completion_tokens"]);
  if (input !== undefined || output !== undefined) return (input ?? 0) + (output ?? 0);
  return num(attributes["gen_ai.usage.total_tokens"]) ?? num(attributes["llm.usage.total_tokens"]) ?? 0;
}

export function summarizeTrace(traceId: string, spans: ViewerSpan[]): TraceSummary {
  const ids = new Set(spans.map((s) => s.spanId));
  // The root: a span with no parent here (its parent may not have arrived yet); the earliest wins.
  const roots = spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
  const byStart = (a: ViewerSpan, b: ViewerSpan) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1);
  const root = [...(roots.length ? roots : spans)].sort(byStart)[0];
  let start = Infinity;
  let end = -Infinity;
  let errorCount = 0;
  let totalTokens = 0;
  for (const span of spans) {
    start = Math.min(start, nanosToMs(span.startTimeUnixNano));
    end = Math.max(end, nanosToMs(span.endTimeUnixNano));
    if (span.status.code === STATUS_ERROR) errorCount++;
    totalTokens += spanTokens(span.attributes);
  }
  return {
    traceId,
    rootName: root?.name ?? "",
    service: String(root?.resource["service.name"] ?? ""),
    startMs: start,
    durationMs: Math.max(0, end - start),
    spanCount: spans.length,
    errorCount,
    totalTokens,
  };
}
