import type { Attributes, HrTime, Link, SpanContext } from "@opentelemetry/api";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace-base";

/**
 * OTLP/HTTP JSON (an ExportTraceServiceRequest) for a batch of spans: the document
 * @opentelemetry/otlp-transformer's JsonTraceSerializer writes, byte for byte (same fields, same
 * order, same encodings: hex ids, nanosecond strings, intValue/doubleValue by Number.isInteger,
 * base64 bytes, flags with the is-remote bits). Ours because that package costs ~1.1 KiB min+gzip
 * in every bundle for what is ~60 lines here; test/otlp-json.property.test.ts holds the two equal
 * on arbitrary spans. Malformed spans throw (as OTel's encoder does), so the exporter can drop them alone.
 */
export function encodeOtlpJson(spans: readonly ReadableSpan[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ resourceSpans: resourceSpans(spans) }));
}

/** Spans grouped by resource (by identity), then by scope (name, version, schema URL), in order of arrival. */
function resourceSpans(spans: readonly ReadableSpan[]) {
  const byResource = new Map<ReadableSpan["resource"], Map<string, ReadableSpan[]>>();
  for (const span of spans) {
    let byScope = byResource.get(span.resource);
    if (!byScope) byResource.set(span.resource, (byScope = new Map()));
    const { name, version, schemaUrl } = span.instrumentationScope;
    const key = `${name}@${version || ""}:${schemaUrl || ""}`;
    const group = byScope.get(key);
    if (group) group.push(span);
    else byScope.set(key, [span]);
  }
  return [...byResource].map(([resource, byScope]) => {
    const scopeSpans = [...byScope.values()].map((group) => {
      // Scope attributes are newer than this InstrumentationScope type; OTel's encoder writes them when present.
      const scope: ReadableSpan["instrumentationScope"] & { attributes?: Attributes; droppedAttributesCount?: number } = group[0]!.instrumentationScope;
      const encodedScope: Record<string, unknown> = { name: scope.name, version: scope.version };
      if (scope.attributes && Object.keys(scope.attributes).length > 0) {
        encodedScope.attributes = keyValues(scope.attributes);
        encodedScope.droppedAttributesCount = scope.droppedAttributesCount ?? 0;
      }
      return { scope: encodedScope, spans: group.map(encodeSpan), schemaUrl: scope.schemaUrl };
    });
    const encodedResource: Record<string, unknown> = { attributes: keyValues(resource.attributes), droppedAttributesCount: 0 };
    if (resource.schemaUrl) encodedResource.schemaUrl = resource.schemaUrl;
    return { resource: encodedResource, scopeSpans, schemaUrl: encodedResource.schemaUrl };
  });
}

function encodeSpan(span: ReadableSpan) {
  const context = span.spanContext();
  const parent = span.parentSpanContext;
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: parent?.spanId ? parent.spanId : undefined,
    traceState: context.traceState?.serialize(),
    name: span.name,
    // OTLP's kinds are the API's plus one (0 is "unspecified").
    kind: span.kind == null ? 0 : span.kind + 1,
    startTimeUnixNano: nanos(span.startTime),
    endTimeUnixNano: nanos(span.endTime),
    attributes: keyValues(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map(encodeEvent),
    droppedEventsCount: span.droppedEventsCount,
    status: { code: span.status.code, message: span.status.message },
    links: span.links.map(encodeLink),
    droppedLinksCount: span.droppedLinksCount,
    flags: flags(context.traceFlags, parent?.isRemote),
  };
}

function encodeEvent(event: TimedEvent) {
  return {
    attributes: event.attributes ? keyValues(event.attributes) : [],
    name: event.name,
    timeUnixNano: nanos(event.time),
    droppedAttributesCount: event.droppedAttributesCount || 0,
  };
}

function encodeLink(link: Link) {
  const context: SpanContext = link.context;
  return {
    attributes: link.attributes ? keyValues(link.attributes) : [],
    spanId: context.spanId,
    traceId: context.traceId,
    traceState: context.traceState?.serialize(),
    droppedAttributesCount: link.droppedAttributesCount || 0,
    flags: flags(context.traceFlags, context.isRemote),
  };
}

/** OTLP span flags: the W3C trace flags in the low byte, then "is-remote is known" (0x100) and "is remote" (0x200). */
const flags = (traceFlags: number, isRemote: boolean | undefined) => (traceFlags & 0xff) | 0x100 | (isRemote ? 0x200 : 0);

/** Nanoseconds since the epoch as a decimal string (beyond 2^53, hence BigInt). A malformed time throws. */
const nanos = (time: HrTime) => String(BigInt(Math.trunc(time[0])) * BigInt(1e9) + BigInt(Math.trunc(time[1])));

const keyValues = (attributes: Attributes) => Object.keys(attributes).map((key) => ({ key, value: anyValue(attributes[key]) }));

function anyValue(value: unknown): Record<string, unknown> {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "number") return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (value instanceof Uint8Array) return { bytesValue: base64(value) };
  if (Array.isArray(value)) {
    // A loop, not map: map skips holes, which OTel's encoder writes as {}.
    const values: unknown[] = [];
    for (let i = 0; i < value.length; i++) values.push(anyValue(value[i]));
    return { arrayValue: { values } };
  }
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    return { kvlistValue: { values: Object.keys(record).map((key) => ({ key, value: anyValue(record[key]) })) } };
  }
  return {};
}

/** Char by char rather than spread into String.fromCharCode, which overflows the stack on large arrays. */
function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}
