/**
 * OTLP/HTTP JSON (an ExportTraceServiceRequest) → flat span records for the viewer.
 *
 * The SDK itself only encodes (src/core/otlp-json.ts); until now decoding lived
 * in a test helper. This module is the viewer's one owner of the wire format: the store persists
 * its output, the API serves it and the UI reads it.
 */

/** One span as the viewer stores and serves it. Times are nanosecond strings, as on the wire. */
export interface ViewerSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; timeUnixNano: string; attributes: Record<string, unknown> }>;
  links: Array<{ traceId: string; spanId: string; attributes: Record<string, unknown> }>;
  status: { code?: number; message?: string };
  resource: Record<string, unknown>;
  scope: { name: string; version?: string };
}

type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
  bytesValue?: string;
};
type KeyValue = { key: string; value?: AnyValue };
type WireSpan = Record<string, unknown> & { attributes?: KeyValue[]; events?: WireEvent[]; links?: WireLink[]; status?: { code?: number; message?: string } };
type WireEvent = { name?: string; timeUnixNano?: string | number; attributes?: KeyValue[] };
type WireLink = { traceId?: string; spanId?: string; attributes?: KeyValue[] };

/** Thrown for a body that is JSON but not an OTLP trace export; the server answers 400 with its message. */
export class NotOtlpError extends Error {}

function decodeValue(value: AnyValue | undefined): unknown {
  if (!value || typeof value !== "object") return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  // Token counts and sizes fit a double; a 64-bit id that does not is shown as its string.
  if (value.intValue !== undefined) return Number.isSafeInteger(Number(value.intValue)) ? Number(value.intValue) : String(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(decodeValue);
  if (value.kvlistValue) return decodeAttributes(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return undefined;
}

function decodeAttributes(list: KeyValue[] | undefined): Record<string, unknown> {
  if (!Array.isArray(list)) return {};
  return Object.fromEntries(list.filter((kv) => typeof kv?.key === "string").map(({ key, value }) => [key, decodeValue(value)]));
}

const isId = (value: unknown): value is string => typeof value === "string" && value !== "";

function decodeSpan(span: WireSpan, resource: Record<string, unknown>, scope: ViewerSpan["scope"]): ViewerSpan {
  if (!span || typeof span !== "object" || !isId(span.traceId) || !isId(span.spanId)) {
    throw new NotOtlpError("every span needs a traceId and a spanId");
  }
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: isId(span.parentSpanId) ? span.parentSpanId : undefined,
    name: typeof span.name === "string" ? span.name : "",
    kind: typeof span.kind === "number" ? span.kind : 0,
    startTimeUnixNano: String(span.startTimeUnixNano ?? "0"),
    endTimeUnixNano: String(span.endTimeUnixNano ?? span.startTimeUnixNano ?? "0"),
    attributes: decodeAttributes(span.attributes),
    events: (Array.isArray(span.events) ? span.events : []).map((e) => ({
      name: String(e?.name ?? ""),
      timeUnixNano: String(e?.timeUnixNano ?? "0"),
      attributes: decodeAttributes(e?.attributes),
    })),
    links: (Array.isArray(span.links) ? span.links : []).map((l) => ({ traceId: String(l?.traceId ?? ""), spanId: String(l?.spanId ?? ""), attributes: decodeAttributes(l?.attributes) })),
    status: span.status && typeof span.status === "object" ? { code: span.status.code, message: span.status.message } : {},
    resource,
    scope,
  };
}

/**
 * Flattens a parsed OTLP JSON trace request.
 * @throws NotOtlpError when it has no `resourceSpans` array or a span lacks its ids.
 * @example
 * const spans = decodeOtlpTraces(JSON.parse(body));
 */
export function decodeOtlpTraces(body: unknown): ViewerSpan[] {
  const request = body as { resourceSpans?: unknown } | null;
  if (!request || typeof request !== "object" || !Array.isArray(request.resourceSpans)) {
    throw new NotOtlpError("not an OTLP trace export: expected a JSON object with a resourceSpans array");
  }
  const out: ViewerSpan[] = [];
  for (const resourceSpans of request.resourceSpans as Array<{ resource?: { attributes?: KeyValue[] }; scopeSpans?: unknown }>) {
    const resource = decodeAttributes(resourceSpans?.resource?.attributes);
    const scopeList = Array.isArray(resourceSpans?.scopeSpans) ? (resourceSpans.scopeSpans as Array<{ scope?: { name?: string; version?: string }; spans?: unknown }>) : [];
    for (const scopeSpans of scopeList) {
      const scope = { name: String(scopeSpans?.scope?.name ?? ""), version: scopeSpans?.scope?.version };
      const spans = Array.isArray(scopeSpans?.spans) ? (scopeSpans.spans as WireSpan[]) : [];
      for (const span of spans) out.push(decodeSpan(span, resource, scope));
    }
  }
  return out;
}
