import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { ENTITY_PATH, SPAN_KIND, TRACER_NAME, WORKFLOW_NAME } from "./attributes.js";

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
  return Object.keys(attributes).some((key) => LLM_ATTRIBUTE_PREFIXES.some((prefix) => key.startsWith(prefix)));
}
