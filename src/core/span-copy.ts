import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";

/**
 * A copy of an ended span with some fields replaced; the rest is read from the original, which is
 * never changed (another processor, or the user, may still hold it). `spanContext` stays a method.
 */
export function copySpan<T extends Partial<ReadableSpan>>(span: ReadableSpan, changes: T): ReadableSpan & T {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes: span.attributes,
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
    ...changes,
  };
}
