import { context, TraceFlags, type Attributes, type Context, type Link, type SpanContext } from "@opentelemetry/api";
import { PENDING_LINKS_KEY, type PendingLinks } from "./context-keys.js";

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

export interface SpanLinkInit {
  traceId: string;
  spanId: string;
  attributes?: Attributes;
}

/**
 * A link from a span to another span, possibly in another trace (e.g. the request that queued this job).
 * @example
 * const link = new SpanLink({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331" });
 * await withTask({ name: "consume", links: [link] }, work);
 */
export class SpanLink implements Link {
  readonly context: SpanContext;
  readonly attributes?: Attributes;

  constructor({ traceId, spanId, attributes }: SpanLinkInit) {
    if (typeof traceId !== "string" || !TRACE_ID.test(traceId) || /^0+$/.test(traceId)) {
      throw new TypeError(`SpanLink: traceId must be 32 lower-case hex characters, not all zero; got ${JSON.stringify(traceId)}`);
    }
    if (typeof spanId !== "string" || !SPAN_ID.test(spanId) || /^0+$/.test(spanId)) {
      throw new TypeError(`SpanLink: spanId must be 16 lower-case hex characters, not all zero; got ${JSON.stringify(spanId)}`);
    }
    this.context = { traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true };
    if (attributes) this.attributes = attributes;
  }
}

/**
 * Used by top-level code that runs outside any wrapper: its attached links wait here for the next
 * wrapper span started outside any wrapper.
 */
const topLevelPending: PendingLinks = { links: [] };

function pendingFor(ctx = context.active()): PendingLinks {
  return (ctx.getValue(PENDING_LINKS_KEY) as PendingLinks | undefined) ?? topLevelPending;
}

/**
 * Attaches links to the current context: the next span started by a wrapper here takes them
 * (once), merged with the links given in its own options.
 * @example
 * attachSpanLinks([new SpanLink({ traceId, spanId })]);
 * await withTask({ name: "handle_message" }, handle); // carries the link
 */
export function attachSpanLinks(links: SpanLink[] | Link[]): void {
  pendingFor().links.push(...links);
}

/** Takes (and clears) the links attached in `ctx`. */
export function consumeAttachedLinks(ctx: Context): Link[] {
  const pending = pendingFor(ctx);
  if (pending.links.length === 0) return [];
  return pending.links.splice(0, pending.links.length);
}
