import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { truncationMarker } from "./safe-json.js";

/** Values are never cut below this many characters: enough to recognise what they were. */
const MIN_KEPT_CHARS = 256;

/**
 * Encodes spans into request bodies of at most `maxBytes` (browsers: the 64 KiB keepalive and
 * beacon quota). A batch that is too big is split in halves; a single span that is too big alone
 * has its largest string attributes truncated, with a marker, until it fits. Spans that cannot
 * be made to fit are returned in `unsendable`.
 */
export function encodeInBodies(
  spans: readonly ReadableSpan[],
  maxBytes: number,
  encode: (spans: ReadableSpan[]) => Uint8Array,
): { bodies: Uint8Array[]; unsendable: ReadableSpan[] } {
  const bodies: Uint8Array[] = [];
  const unsendable: ReadableSpan[] = [];
  const visit = (group: ReadableSpan[]) => {
    const body = encode(group);
    if (body.byteLength <= maxBytes) {
      bodies.push(body);
      return;
    }
    if (group.length > 1) {
      const middle = Math.ceil(group.length / 2);
      visit(group.slice(0, middle));
      visit(group.slice(middle));
      return;
    }
    const shrunk = shrinkToFit(group[0]!, body.byteLength, maxBytes, encode);
    if (shrunk) bodies.push(shrunk);
    else unsendable.push(group[0]!);
  };
  if (spans.length > 0) visit([...spans]);
  return { bodies, unsendable };
}

function shrinkToFit(span: ReadableSpan, size: number, maxBytes: number, encode: (spans: ReadableSpan[]) => Uint8Array): Uint8Array | undefined {
  const attributes: Attributes = { ...span.attributes };
  let excess = size - maxBytes;
  for (;;) {
    const largest = largestString(attributes);
    if (!largest || largest.value.length <= MIN_KEPT_CHARS) return undefined;
    // UTF-8 may take up to 3 bytes per char; cut a little more than the excess, keep at least MIN_KEPT_CHARS.
    const keep = Math.max(MIN_KEPT_CHARS, largest.value.length - Math.ceil(excess * 1.1) - 64);
    attributes[largest.key] = largest.value.slice(0, keep) + truncationMarker(largest.value.length - keep);
    const body = encode([withAttributes(span, attributes)]);
    if (body.byteLength <= maxBytes) return body;
    excess = body.byteLength - maxBytes;
  }
}

function largestString(attributes: Attributes): { key: string; value: string } | undefined {
  let found: { key: string; value: string } | undefined;
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === "string" && (!found || value.length > found.value.length)) found = { key, value };
  }
  return found;
}

/** The same span with other attributes; everything else is read from the original. */
function withAttributes(span: ReadableSpan, attributes: Attributes): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes,
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}
