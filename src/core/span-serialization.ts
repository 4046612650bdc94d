import type { Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatus } from "@opentelemetry/api";
import { describeError } from "./describe-error.js";
import { resourceFromAttributes } from "@opentelemetry/resources";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace-base";

/** The transport form of one span: plain JSON, hex ids, [seconds, nanoseconds] times. */
interface SerializedSpan {
  name: string;
  kind: SpanKind;
  context: SpanContextJson;
  parent?: SpanContextJson;
  startTime: HrTime;
  endTime: HrTime;
  status: SpanStatus;
  attributes: Attributes;
  events: Array<{ name: string; time: HrTime; attributes?: Attributes; droppedAttributesCount?: number }>;
  links: Array<{ context: SpanContextJson; attributes?: Attributes; droppedAttributesCount?: number }>;
  resource: Attributes;
  scope: { name: string; version?: string; schemaUrl?: string };
  dropped: [attributes: number, events: number, links: number];
}

interface SpanContextJson {
  traceId: string;
  spanId: string;
  traceFlags: number;
  traceState?: string;
  isRemote?: boolean;
}

const FORMAT = "respan-spans/1";

function contextToJson(ctx: SpanContext): SpanContextJson {
  const out: SpanContextJson = { traceId: ctx.traceId, spanId: ctx.spanId, traceFlags: ctx.traceFlags };
  if (ctx.traceState) out.traceState = ctx.traceState.serialize();
  if (ctx.isRemote) out.isRemote = true;
  return out;
}

function contextFromJson(json: SpanContextJson): SpanContext {
  // A traceState survives as its serialised string; rebuilding the W3C structure is the
  // propagator's job and nothing downstream of export reads it.
  const { traceState, ...rest } = json;
  return traceState === undefined ? rest : { ...rest, traceState: { serialize: () => traceState } as SpanContext["traceState"] };
}

/**
 * Serialises ended spans to a JSON string, e.g. to post spans collected in a browser or a Worker
 * to a server that processes them. `deserializeSpans` reverses it exactly.
 * @example
 * const json = serializeSpans(buffer.getAllSpans());
 * await getClient().processSpans(deserializeSpans(json));
 */
export function serializeSpans(spans: readonly ReadableSpan[]): string {
  const list: SerializedSpan[] = spans.map((span) => ({
    name: span.name,
    kind: span.kind,
    context: contextToJson(span.spanContext()),
    ...(span.parentSpanContext ? { parent: contextToJson(span.parentSpanContext) } : {}),
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes: span.attributes,
    events: span.events.map((event: TimedEvent) => ({ name: event.name, time: event.time, attributes: event.attributes, droppedAttributesCount: event.droppedAttributesCount })),
    links: span.links.map((link: Link) => ({ context: contextToJson(link.context), attributes: link.attributes, droppedAttributesCount: link.droppedAttributesCount })),
    resource: span.resource.attributes,
    scope: { name: span.instrumentationScope.name, version: span.instrumentationScope.version, schemaUrl: span.instrumentationScope.schemaUrl },
    dropped: [span.droppedAttributesCount, span.droppedEventsCount, span.droppedLinksCount],
  }));
  return JSON.stringify({ format: FORMAT, spans: list });
}

/** Rebuilds spans from `serializeSpans` output; throws a TypeError on anything else. */
export function deserializeSpans(json: string): ReadableSpan[] {
  let parsed: { format?: unknown; spans?: unknown };
  try {
    parsed = JSON.parse(json) as typeof parsed;
  } catch (error) {
    throw new TypeError(`deserializeSpans(): not JSON (${describeError(error)})`);
  }
  if (!parsed || parsed.format !== FORMAT || !Array.isArray(parsed.spans)) {
    throw new TypeError(`deserializeSpans(): expected the output of serializeSpans() (format "${FORMAT}")`);
  }
  return parsed.spans.map((item, index) => spanFromJson(item as SerializedSpan, index));
}

function spanFromJson(json: SerializedSpan, index: number): ReadableSpan {
  const problem = malformation(json);
  if (problem) throw new TypeError(`deserializeSpans(): span ${index} is malformed (${problem})`);
  const spanContext = contextFromJson(json.context);
  const [droppedAttributesCount, droppedEventsCount, droppedLinksCount] = json.dropped ?? [0, 0, 0];
  return {
    name: json.name,
    kind: json.kind,
    spanContext: () => spanContext,
    parentSpanContext: json.parent ? contextFromJson(json.parent) : undefined,
    startTime: json.startTime,
    endTime: json.endTime,
    duration: subtract(json.endTime, json.startTime),
    ended: true,
    status: json.status,
    attributes: json.attributes ?? {},
    events: (json.events ?? []).map((event) => ({ ...event })),
    links: (json.links ?? []).map((link) => ({ ...link, context: contextFromJson(link.context) })),
    resource: resourceFromAttributes(json.resource ?? {}),
    instrumentationScope: json.scope,
    droppedAttributesCount,
    droppedEventsCount,
    droppedLinksCount,
  };
}

const HEX_TRACE_ID = /^[0-9a-f]{32}$/;
const HEX_SPAN_ID = /^[0-9a-f]{16}$/;

/** What is wrong with one serialized span, if anything: each would make it unexportable. */
function malformation(json: SerializedSpan): string | undefined {
  if (!json || typeof json !== "object") return "not an object";
  if (typeof json.name !== "string") return "no name";
  if (!json.context || !HEX_TRACE_ID.test(String(json.context.traceId)) || !HEX_SPAN_ID.test(String(json.context.spanId))) return "no valid trace and span id";
  if (!isHrTime(json.startTime) || !isHrTime(json.endTime)) return "no valid start and end time";
  if (!json.scope || typeof json.scope.name !== "string") return "no instrumentation scope";
  return undefined;
}

function isHrTime(value: unknown): value is HrTime {
  return Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === "number" && Number.isFinite(part));
}

function subtract(end: HrTime, start: HrTime): HrTime {
  let seconds = end[0] - start[0];
  let nanos = end[1] - start[1];
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  return [seconds, nanos];
}
