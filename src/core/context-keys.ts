import { createContextKey, type Context, type Link } from "@opentelemetry/api";
import type { EntityPath } from "./entity-path.js";

/** What a wrapper span hands down to everything started inside it. */
export interface EntityScope {
  workflowName?: string;
  /** The enclosing entities, outermost first (shared between calls: never modify). */
  path: EntityPath;
  processors?: string[];
  /** false when a wrapper (or one around it) turned content capture off; sticky for everything inside. */
  traceContent: false | undefined;
}

/** Links waiting for the next wrapper span (see `attachSpanLinks`); consumed once. */
export interface PendingLinks {
  links: Link[];
}

export const ENTITY_SCOPE_KEY = createContextKey("respan-tracing.entity-scope");
export const SPAN_BUFFER_KEY = createContextKey("respan-tracing.span-buffer");
export const PENDING_LINKS_KEY = createContextKey("respan-tracing.pending-links");

export function getEntityScope(ctx: Context): EntityScope | undefined {
  return ctx.getValue(ENTITY_SCOPE_KEY) as EntityScope | undefined;
}
