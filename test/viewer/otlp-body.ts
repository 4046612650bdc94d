/** Builds OTLP/HTTP JSON bodies for the viewer tests, shaped as the SDK's exporter sends them. */
let counter = 0;
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

export interface SpanInit {
  traceId: string;
  spanId?: string;
  parentSpanId?: string;
  name: string;
  startMs?: number;
  durationMs?: number;
  attributes?: Record<string, string | number | boolean>;
  error?: string;
}

export const newTraceId = () => hex(++counter, 32);
export const newSpanId = () => hex(++counter, 16);

const attr = (key: string, value: string | number | boolean) => ({
  key,
  value: typeof value === "string" ? { stringValue: value } : typeof value === "boolean" ? { boolValue: value } : Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value },
});

export function otlpBody(spans: SpanInit[], service = "viewer-test"): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [attr("service.name", service)] },
        scopeSpans: [
          {
            scope: { name: "respan-tracing", version: "0.1.0" },
            spans: spans.map((s) => {
              const start = BigInt(s.startMs ?? Date.now()) * 1_000_000n;
              return {
                traceId: s.traceId,
                spanId: s.spanId ?? newSpanId(),
                parentSpanId: s.parentSpanId,
                name: s.name,
                kind: 1,
                startTimeUnixNano: String(start),
                endTimeUnixNano: String(start + BigInt(s.durationMs ?? 10) * 1_000_000n),
                attributes: Object.entries(s.attributes ?? {}).map(([k, v]) => attr(k, v)),
                events: [{ name: "checkpoint", timeUnixNano: String(start), attributes: [attr("step", 1)] }],
                links: [],
                status: s.error ? { code: 2, message: s.error } : { code: 0 },
              };
            }),
          },
        ],
      },
    ],
  });
}
