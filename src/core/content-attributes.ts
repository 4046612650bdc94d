import type { Attributes } from "@opentelemetry/api";
import type { TimedEvent } from "@opentelemetry/sdk-trace-base";

/** What a text value of another library's span says instead, under `traceContent: false`. */
const WITHHELD = "[withheld: traceContent is false]";

/**
 * Text attributes known to carry no prompt, completion, input or output: names of models,
 * systems, operations and routes, ids, and our own bookkeeping. Under `traceContent: false`
 * (SPEC §11 "Privacy is inherited") every OTHER text value of another library's span is withheld:
 * failing closed, because each convention (OTel GenAI, OpenInference, Traceloop, the Vercel AI SDK)
 * keeps adding content keys, and one missed key is a leak.
 */
const SAFE_KEY = new RegExp(
  [
    String.raw`^(traceloop|respan|service|telemetry|otel|http|url|server|client|network|rpc|db\.system|messaging\.(system|operation|destination\.name))(\.|$)`,
    String.raw`^gen_ai\.(system|provider\.name|operation\.name|request\.model|response\.model|response\.id|response\.finish_reasons|output\.type|tool\.name|tool\.call\.id|tool\.type|agent\.name|agent\.id|conversation\.id)$`,
    String.raw`^llm\.(request\.type|model_name|provider|system|is_streaming)$`,
    String.raw`^ai\.(model\.(id|provider)|operationId|telemetry\.functionId|response\.(id|model|finishReason)|toolCall\.(name|id))$`,
    String.raw`^openinference\.span\.kind$`,
    String.raw`^(error|exception)\.type$`,
  ].join("|"),
);

function isText(value: unknown): boolean {
  return typeof value === "string" || (Array.isArray(value) && value.some((item) => typeof item === "string"));
}

/** Replaces, in place, every text value not known to be safe; returns how many were replaced. */
export function withholdContent(attributes: Attributes | undefined): number {
  if (!attributes) return 0;
  let replaced = 0;
  for (const key of Object.keys(attributes)) {
    if (!SAFE_KEY.test(key) && isText(attributes[key])) {
      attributes[key] = WITHHELD;
      replaced++;
    }
  }
  return replaced;
}

/** The same for a span's attributes and its events' attributes (`gen_ai.content.prompt` events). */
export function withholdSpanContent(span: { attributes: Attributes; events?: readonly TimedEvent[] }): void {
  withholdContent(span.attributes);
  for (const event of span.events ?? []) withholdContent(event.attributes);
}
