import type { Attributes, Link } from "@opentelemetry/api";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace-base";
import { ENTITY_NAME, ENTITY_PATH, SPAN_KIND, WORKFLOW_NAME } from "./attributes.js";
import { truncationMarker } from "./safe-json.js";
import { copySpan } from "./span-copy.js";

/** Values are never cut below this many characters: enough to recognise what they were. */
const MIN_KEPT_CHARS = 256;
/**
 * Cuts tried before falling back to coarser steps (dropping events, links, attributes). Each cut
 * shortens one value by at least the excess, so a handful suffices; the cap makes termination
 * obvious whatever the span looks like.
 */
const MAX_CUTS = 32;
/** What a span keeps when even its values cut short do not fit: enough to place it in its trace. */
const ESSENTIAL_ATTRIBUTES = [SPAN_KIND, ENTITY_NAME, WORKFLOW_NAME, ENTITY_PATH];
/** Set on a span that lost attributes, events or links to fit the body limit. */
const TRUNCATED_ATTRIBUTE = "respan.truncated";

type Encode = (spans: ReadableSpan[]) => Uint8Array;

/**
 * Encodes spans into request bodies of at most `maxBytes` (browsers: the 64 KiB keepalive and
 * beacon quota). A batch that is too big is split in halves; a single span that is too big alone
 * is shrunk (see `shrinkToFit`). Spans that cannot be made to fit are returned in `unsendable`;
 * `counts[i]`: the spans in `bodies[i]` (so a later body failing does not count earlier ones as lost).
 */
export function encodeInBodies(
  spans: readonly ReadableSpan[],
  maxBytes: number,
  encode: Encode,
): { bodies: Uint8Array[]; counts: number[]; unsendable: ReadableSpan[] } {
  const bodies: Uint8Array[] = [];
  const counts: number[] = [];
  const unsendable: ReadableSpan[] = [];
  const visit = (group: ReadableSpan[]) => {
    const body = encode(group);
    if (body.byteLength <= maxBytes) {
      bodies.push(body);
      counts.push(group.length);
      return;
    }
    if (group.length > 1) {
      const middle = Math.ceil(group.length / 2);
      visit(group.slice(0, middle));
      visit(group.slice(middle));
      return;
    }
    const shrunk = shrinkToFit(group[0]!, maxBytes, encode);
    if (shrunk) {
      bodies.push(shrunk);
      counts.push(1);
    } else unsendable.push(group[0]!);
  };
  if (spans.length > 0) visit([...spans]);
  return { bodies, counts, unsendable };
}

/** A value that may be cut: a string attribute of the span, of one of its events, or of a link. */
interface CutPoint {
  holder: Attributes;
  key: string;
}

/**
 * Makes one span fit, coarser step by step, and always terminates: (1) cut the longest strings
 * (attributes, event and link attributes) with a marker, never below MIN_KEPT_CHARS; (2) drop its
 * events; (3) drop its links; (4) keep only the attributes that place it in its trace. Dropped
 * items are counted in the span's dropped counts. Returns undefined if even that does not fit.
 */
function shrinkToFit(span: ReadableSpan, maxBytes: number, encode: Encode): Uint8Array | undefined {
  const copy = mutableCopy(span);
  const fits = () => {
    const body = encode([copy]);
    return body.byteLength <= maxBytes ? body : undefined;
  };
  const cut = cutLongestStrings(copy, maxBytes, encode);
  if (cut) return cut;
  if (copy.events.length > 0) {
    copy.droppedEventsCount += copy.events.length;
    copy.events = [];
    copy.attributes[TRUNCATED_ATTRIBUTE] = true;
    const body = fits();
    if (body) return body;
  }
  if (copy.links.length > 0) {
    copy.droppedLinksCount += copy.links.length;
    copy.links = [];
    const body = fits();
    if (body) return body;
  }
  const essential: Attributes = { [TRUNCATED_ATTRIBUTE]: true };
  for (const key of ESSENTIAL_ATTRIBUTES) if (copy.attributes[key] !== undefined) essential[key] = copy.attributes[key];
  copy.droppedAttributesCount += Object.keys(copy.attributes).length - Object.keys(essential).length + 1;
  copy.attributes = essential;
  return fits();
}

function cutLongestStrings(copy: MutableSpan, maxBytes: number, encode: Encode): Uint8Array | undefined {
  const points: CutPoint[] = [
    ...cutPoints(copy.attributes),
    ...copy.events.flatMap((event) => cutPoints(event.attributes)),
    ...copy.links.flatMap((link) => cutPoints(link.attributes)),
  ];
  for (let round = 0; round < MAX_CUTS; round++) {
    const body = encode([copy]);
    if (body.byteLength <= maxBytes) return body;
    const longest = longestCuttable(points);
    if (!longest) return undefined;
    const value = longest.holder[longest.key] as string;
    // UTF-8 may take up to 3 bytes per char; cut a little more than the excess, keep at least MIN_KEPT_CHARS.
    const keep = Math.max(MIN_KEPT_CHARS, value.length - Math.ceil((body.byteLength - maxBytes) * 1.1) - 64);
    longest.holder[longest.key] = value.slice(0, keep) + truncationMarker(value.length - keep);
    // A value cut to the minimum cannot shrink again: it leaves the pool (this is what guarantees progress).
    if (keep === MIN_KEPT_CHARS) points.splice(points.indexOf(longest), 1);
  }
  return undefined;
}

function cutPoints(holder: Attributes | undefined): CutPoint[] {
  if (!holder) return [];
  return Object.keys(holder)
    .filter((key) => typeof holder[key] === "string" && (holder[key] as string).length > MIN_KEPT_CHARS)
    .map((key) => ({ holder, key }));
}

function longestCuttable(points: CutPoint[]): CutPoint | undefined {
  let found: CutPoint | undefined;
  let length = MIN_KEPT_CHARS;
  for (const point of points) {
    const value = point.holder[point.key] as string;
    if (value.length > length) {
      found = point;
      length = value.length;
    }
  }
  return found;
}

type MutableSpan = ReadableSpan & {
  attributes: Attributes;
  events: TimedEvent[];
  links: Link[];
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
};

/** A copy whose attributes, events and links may be changed; the original span is never touched. */
function mutableCopy(span: ReadableSpan): MutableSpan {
  return copySpan(span, {
    attributes: { ...span.attributes },
    links: (span.links ?? []).map((link) => ({ ...link, attributes: link.attributes ? { ...link.attributes } : undefined })),
    events: (span.events ?? []).map((event) => ({ ...event, attributes: event.attributes ? { ...event.attributes } : undefined })),
    droppedAttributesCount: span.droppedAttributesCount ?? 0,
    droppedEventsCount: span.droppedEventsCount ?? 0,
    droppedLinksCount: span.droppedLinksCount ?? 0,
  });
}
