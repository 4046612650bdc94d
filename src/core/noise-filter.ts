import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { ENTITY_PATH, SPAN_KIND, TRACE_PROPAGATED, TRACER_NAME, WORKFLOW_NAME } from "./attributes.js";

const LLM_ATTRIBUTE_PREFIXES = ["gen_ai.", "llm.", "ai."];

/**
 * The default Respan processor's filter (SPEC §5): keep this SDK's spans, LLM spans and anything
 * inside an entity; drop framework noise (`next.*`, bare HTTP spans) that belongs to no entity.
 */
export function isWorthExporting(span: ReadableSpan): boolean {
  if (span.instrumentationScope.name === TRACER_NAME) return true;
  const attributes = span.attributes;
  if (attributes[SPAN_KIND] !== undefined || attributes[WORKFLOW_NAME] !== undefined || attributes[ENTITY_PATH] !== undefined) {
    return true;
  }
  if (span.name.startsWith("ai.")) return true;
  // A client span that carried the trace to a server: dropping it would orphan the server's spans.
  if (attributes[TRACE_PROPAGATED] === true) return true;
  return Object.keys(attributes).some((key) => LLM_ATTRIBUTE_PREFIXES.some((prefix) => key.startsWith(prefix)));
}
