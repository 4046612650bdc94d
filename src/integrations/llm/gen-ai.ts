import type { AttributeValue, Attributes } from "@opentelemetry/api";
import { safeStringify } from "../../core/safe-json.js";

/**
 * Attribute names the Respan backend reads from LLM spans: OpenTelemetry gen_ai semantic
 * conventions plus the Traceloop (OpenLLMetry) prompt/completion layout the Python SDK writes.
 */
export const GEN_AI = {
  system: "gen_ai.system",
  requestModel: "gen_ai.request.model",
  temperature: "gen_ai.request.temperature",
  maxTokens: "gen_ai.request.max_tokens",
  topP: "gen_ai.request.top_p",
  topK: "gen_ai.request.top_k",
  frequencyPenalty: "gen_ai.request.frequency_penalty",
  presencePenalty: "gen_ai.request.presence_penalty",
  stopSequences: "gen_ai.request.stop_sequences",
  responseModel: "gen_ai.response.model",
  responseId: "gen_ai.response.id",
  finishReasons: "gen_ai.response.finish_reasons",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  /** Traceloop's names for the same counts, which Respan also reads. */
  promptTokens: "gen_ai.usage.prompt_tokens",
  completionTokens: "gen_ai.usage.completion_tokens",
  totalTokens: "llm.usage.total_tokens",
  requestType: "llm.request.type",
  streaming: "llm.is_streaming",
} as const;

/** Keeps only values an attribute can hold; drops undefined/null. */
export function defined(entries: Record<string, unknown>): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(entries)) {
    if (value === undefined || value === null) continue;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out[key] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === "string")) out[key] = value as AttributeValue;
    else out[key] = safeStringify(value);
  }
  return out;
}

/** Text of a message content: a string, or the text parts of a content array (others as JSON). */
export function contentText(content: unknown): string | undefined {
  if (content === undefined || content === null) return undefined;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    const parts = content.map((part) => {
      const p = part as { type?: string; text?: unknown };
      return typeof p?.text === "string" ? p.text : safeStringify(part);
    });
    return parts.join("");
  }
  return safeStringify(content);
}

export interface Message {
  role: string;
  content?: string;
  toolCalls?: Array<{ id?: string; name?: string; arguments?: string }>;
  finishReason?: string;
}

/** `gen_ai.prompt.{i}.*` or `gen_ai.completion.{i}.*` for a list of messages. */
export function messageAttributes(prefix: "gen_ai.prompt" | "gen_ai.completion", messages: Message[]): Attributes {
  const out: Record<string, unknown> = {};
  messages.forEach((message, i) => {
    out[`${prefix}.${i}.role`] = message.role;
    out[`${prefix}.${i}.content`] = message.content;
    if (message.finishReason) out[`${prefix}.${i}.finish_reason`] = message.finishReason;
    message.toolCalls?.forEach((call, j) => {
      out[`${prefix}.${i}.tool_calls.${j}.id`] = call.id;
      out[`${prefix}.${i}.tool_calls.${j}.name`] = call.name;
      out[`${prefix}.${i}.tool_calls.${j}.arguments`] = call.arguments;
    });
  });
  return defined(out);
}

/** `llm.request.functions.{i}.*` from OpenAI or Anthropic tool definitions. */
export function toolAttributes(tools: unknown): Attributes {
  if (!Array.isArray(tools)) return {};
  const out: Record<string, unknown> = {};
  tools.forEach((tool, i) => {
    const t = tool as { name?: string; description?: string; parameters?: unknown; input_schema?: unknown; function?: { name?: string; description?: string; parameters?: unknown } };
    const fn = t.function ?? t;
    out[`llm.request.functions.${i}.name`] = fn.name;
    out[`llm.request.functions.${i}.description`] = fn.description;
    out[`llm.request.functions.${i}.parameters`] = fn.parameters ?? t.input_schema;
  });
  return defined(out);
}

/** Usage counts under both naming schemes. */
export function usageAttributes(input: number | undefined, output: number | undefined, total?: number): Attributes {
  return defined({
    [GEN_AI.inputTokens]: input,
    [GEN_AI.outputTokens]: output,
    [GEN_AI.promptTokens]: input,
    [GEN_AI.completionTokens]: output,
    [GEN_AI.totalTokens]: total ?? (input !== undefined && output !== undefined ? input + output : undefined),
  });
}
