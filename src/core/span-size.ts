import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";

/**
 * What one span adds to an OTLP/JSON request besides its name and attributes: ids (hex), times,
 * kind, status and the JSON punctuation around them, measured at ~330 bytes; rounded up.
 */
const SPAN_OVERHEAD_BYTES = 400;
/** `{"key":"","value":{"stringValue":""}}` around each attribute's key and value. */
const ATTRIBUTE_OVERHEAD_BYTES = 40;
/** An event's or a link's own fields (name, time or ids) besides its attributes. */
const EVENT_OVERHEAD_BYTES = 120;
/** A number or boolean as JSON, at most. */
const SCALAR_BYTES = 24;

/**
 * An estimate of a span's size in an export request, for bounding the export queue by bytes.
 * Cheap (one pass over attributes, no serialisation); characters count as bytes, so text outside
 * ASCII is under-counted by up to 3×, which the bound's margin absorbs. Never throws.
 */
export function estimateSpanBytes(span: ReadableSpan): number {
  try {
    let bytes = SPAN_OVERHEAD_BYTES + span.name.length + attributesBytes(span.attributes);
    for (const event of span.events) bytes += EVENT_OVERHEAD_BYTES + event.name.length + attributesBytes(event.attributes);
    for (const link of span.links) bytes += EVENT_OVERHEAD_BYTES + attributesBytes(link.attributes);
    return bytes;
  } catch {
    // A malformed span (deserialised without fields): the exporter will reject it alone anyway.
    return SPAN_OVERHEAD_BYTES;
  }
}

function attributesBytes(attributes: Attributes | undefined): number {
  let bytes = 0;
  for (const key in attributes) bytes += ATTRIBUTE_OVERHEAD_BYTES + key.length + valueBytes(attributes[key]);
  return bytes;
}

function valueBytes(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (Array.isArray(value)) {
    let bytes = 0;
    for (const item of value) bytes += typeof item === "string" ? item.length + 4 : SCALAR_BYTES;
    return bytes;
  }
  return SCALAR_BYTES;
}
