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

/** What a content attribute of another library's span says instead, under `traceContent: false`. */
export const WITHHELD = "[withheld: traceContent is false]";

/**
 * Replaces content values in place (the keys stay, so the span still reads as an LLM span to the
 * noise filter and in the UI); returns how many were replaced.
 */
export function withholdContent(attributes: Attributes): number {
  let replaced = 0;
  for (const key of Object.keys(attributes)) {
    if (isContentAttribute(key)) {
      attributes[key] = WITHHELD;
      replaced++;
    }
  }
  return replaced;
}
