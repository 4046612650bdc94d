import { context, TraceFlags, type Attributes, type Context, type Link, type SpanContext } from "@opentelemetry/api";
import { PENDING_LINKS_KEY, type PendingLinks } from "./context-keys.js";
import { activeHost } from "./host.js";

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
 * Links attached where no wrapper or request made a holder, keyed by the context they were
 * attached in: concurrent requests (different async contexts) never see each other's links,
 * and a context nobody uses any more takes its links with it.
 */
const pendingByContext = new WeakMap<Context, PendingLinks>();

function pendingFor(ctx = context.active(), create = true): PendingLinks | undefined {
  const own = ctx.getValue(PENDING_LINKS_KEY) as PendingLinks | undefined;
  if (own) return own;
  // Where the runtime has per-async-flow storage (Node, Deno), use it: two requests of a plain
  // server both run in the root context, yet each has its own flow.
  const slot = activeHost()?.linkSlot;
  if (slot) {
    try {
      const inFlow = slot.get();
      if (!create) return inFlow;
      // Attaching always enters a holder of this flow's own: a holder entered earlier (say at
      // startup) is inherited by every flow created since, e.g. each request of a server started
      // after it, and must not carry one request's links to another. Links still waiting in the
      // inherited holder move along, so none is taken twice.
      const own: PendingLinks = { links: inFlow ? inFlow.links.splice(0, inFlow.links.length) : [] };
      slot.enter(own);
      return own;
    } catch {
      // A runtime whose storage refuses: fall back to the context.
    }
  }
  let pending = pendingByContext.get(ctx);
  if (!pending && create) pendingByContext.set(ctx, (pending = { links: [] }));
  return pending;
}

/**
 * Attaches links to the current context: the next span started by a wrapper here takes them
 * (once), merged with the links given in its own options.
 * @example
 * attachSpanLinks([new SpanLink({ traceId, spanId })]);
 * await withTask({ name: "handle_message" }, handle); // carries the link
 * // Without async context (workerd without nodejs_als, browsers): pass the context explicitly,
 * // attachSpanLinks(links, ctx), and the same ctx as the wrapper's `context` option.
 */
export function attachSpanLinks(links: SpanLink[] | Link[], ctx: Context = context.active()): void {
  if (!Array.isArray(links)) throw new TypeError("attachSpanLinks(): pass an array of SpanLink");
  pendingFor(ctx)!.links.push(...links);
}

const NONE: readonly Link[] = Object.freeze([]);

/** Takes (and clears) the links attached in `ctx`. */
export function consumeAttachedLinks(ctx: Context): readonly Link[] {
  const pending = pendingFor(ctx, false);
  if (!pending || pending.links.length === 0) return NONE;
  return pending.links.splice(0, pending.links.length);
}
