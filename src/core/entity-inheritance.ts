import type { Context } from "@opentelemetry/api";
import type { Span } from "@opentelemetry/sdk-trace-base";
import { ENTITY_PATH, RESPAN_PROCESSORS, WORKFLOW_NAME } from "./attributes.js";
import { getEntityScope } from "./context-keys.js";

/**
 * Gives a span that another library (an LLM client, fetch, another tracer provider) starts inside
 * a wrapper the wrapper's workflow name, entity path and processors, unless it set its own: that
 * is how the noise filter and the routing know it belongs to the entity (SPEC §3, §5).
 */
export function inheritEntityAttributes(span: Span, parentContext: Context): void {
  const scope = getEntityScope(parentContext);
  if (!scope) return;
  const attributes = span.attributes;
  if (scope.workflowName && attributes[WORKFLOW_NAME] === undefined) span.setAttribute(WORKFLOW_NAME, scope.workflowName);
  if (attributes[ENTITY_PATH] === undefined) span.setAttribute(ENTITY_PATH, scope.path.text);
  if (scope.processors && attributes[RESPAN_PROCESSORS] === undefined) span.setAttribute(RESPAN_PROCESSORS, scope.processors);
}
