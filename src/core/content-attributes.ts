import type { Attributes } from "@opentelemetry/api";
import { ENTITY_INPUT, ENTITY_OUTPUT } from "./attributes.js";

/**
 * Attributes that carry prompt, completion, input or output text, as the instrumentations a
 * user may run beside ours write them: OTel GenAI conventions (old and new), Traceloop /
 * OpenLLMetry, and the Vercel AI SDK. Under `traceContent: false` none of them leaves the process
 * (SPEC §11 "Privacy is inherited").
 */
const CONTENT_KEY = new RegExp(
  [
    String.raw`^gen_ai\.(prompt|completion)(\.|$)`,
    String.raw`^gen_ai\.(input|output)\.messages$`,
    String.raw`^gen_ai\.system_instructions$`,
    String.raw`^llm\.(prompts|completions)(\.|$)`,
    String.raw`^ai\.prompt(\.|$)`,
    String.raw`^ai\.response\.(text|object|toolCalls|reasoning)$`,
    String.raw`^ai\.toolCall\.(args|result)$`,
  ].join("|"),
);

export function isContentAttribute(key: string): boolean {
  return key === ENTITY_INPUT || key === ENTITY_OUTPUT || CONTENT_KEY.test(key);
}

/** Deletes content attributes in place; returns how many were removed. */
export function stripContent(attributes: Attributes): number {
  let removed = 0;
  for (const key of Object.keys(attributes)) {
    if (isContentAttribute(key)) {
      delete attributes[key];
      removed++;
    }
  }
  return removed;
}
