import type { Span } from "@opentelemetry/api";
import { Instruments } from "../../core/options.js";
import { GEN_AI, contentText, defined, messageAttributes, toolAttributes, usageAttributes, type Message } from "./gen-ai.js";
import type { LlmCall, ResponseRecorder } from "./llm-call.js";

type Params = Record<string, any>;

export function requestAttributes(params: Params, type: string): Record<string, unknown> {
  return {
    [GEN_AI.system]: "openai",
    [GEN_AI.requestType]: type,
    [GEN_AI.requestModel]: params.model,
    [GEN_AI.temperature]: params.temperature,
    [GEN_AI.maxTokens]: params.max_tokens ?? params.max_completion_tokens ?? params.max_output_tokens,
    [GEN_AI.topP]: params.top_p,
    [GEN_AI.frequencyPenalty]: params.frequency_penalty,
    [GEN_AI.presencePenalty]: params.presence_penalty,
    [GEN_AI.stopSequences]: typeof params.stop === "string" ? [params.stop] : params.stop,
    [GEN_AI.streaming]: params.stream === true,
  };
}

function promptMessages(messages: unknown): Message[] {
  if (!Array.isArray(messages)) return [];
  return messages.map((m: Params) => ({
    role: String(m.role ?? "user"),
    content: contentText(m.content),
    toolCalls: m.tool_calls?.map((c: Params) => ({ id: c.id, name: c.function?.name, arguments: c.function?.arguments })),
  }));
}

/** `chat.completions.create`: plain, and streamed chunks (with `stream_options.include_usage`). */
export function chatCall(params: Params): LlmCall {
  return {
    instrument: Instruments.OPENAI,
    name: "openai.chat",
    attributes: defined({ ...requestAttributes(params, "chat"), ...toolAttributes(params.tools ?? params.functions) }),
    prompts: () => messageAttributes("gen_ai.prompt", promptMessages(params.messages)),
    recorder: (span, withContent) => chatRecorder(span, withContent),
  };
}

interface ChoiceSoFar {
  role: string;
  content: string;
  finishReason?: string;
  toolCalls: Array<{ id?: string; name?: string; arguments: string }>;
}

function chatRecorder(span: Span, withContent: boolean): ResponseRecorder {
  const choices: ChoiceSoFar[] = [];
  let model: string | undefined;
  let id: string | undefined;
  let usage: Params | undefined;
  const write = (list: Array<{ role: string; content?: string; finishReason?: string; toolCalls?: Message["toolCalls"] }>) => {
    span.setAttributes(defined({ [GEN_AI.responseModel]: model, [GEN_AI.responseId]: id }));
    const reasons = list.map((c) => c.finishReason).filter((r): r is string => typeof r === "string");
    if (reasons.length) span.setAttribute(GEN_AI.finishReasons, reasons);
    if (usage) span.setAttributes(usageAttributes(usage.prompt_tokens, usage.completion_tokens, usage.total_tokens));
    if (withContent) span.setAttributes(messageAttributes("gen_ai.completion", list));
  };
  return {
    response(value) {
      const completion = value as Params;
      model = completion?.model;
      id = completion?.id;
      usage = completion?.usage;
      const list = (completion?.choices ?? []).map((choice: Params) => ({
        role: choice.message?.role ?? "assistant",
        content: contentText(choice.message?.content),
        finishReason: choice.finish_reason ?? undefined,
        toolCalls: choice.message?.tool_calls?.map((c: Params) => ({ id: c.id, name: c.function?.name, arguments: c.function?.arguments })),
      }));
      write(list);
    },
    chunk(value) {
      const chunk = value as Params;
      model ??= chunk?.model;
      id ??= chunk?.id;
      if (chunk?.usage) usage = chunk.usage;
      for (const choice of chunk?.choices ?? []) {
        const index = choice.index ?? 0;
        const soFar = (choices[index] ??= { role: "assistant", content: "", toolCalls: [] });
        const delta = choice.delta ?? {};
        if (delta.role) soFar.role = delta.role;
        if (typeof delta.content === "string") soFar.content += delta.content;
        if (choice.finish_reason) soFar.finishReason = choice.finish_reason;
        for (const call of delta.tool_calls ?? []) {
          const slot = (soFar.toolCalls[call.index ?? 0] ??= { arguments: "" });
          if (call.id) slot.id = call.id;
          if (call.function?.name) slot.name = call.function.name;
          if (call.function?.arguments) slot.arguments += call.function.arguments;
        }
      }
    },
    streamEnd() {
      write(choices.filter(Boolean).map((c) => ({ ...c, toolCalls: c.toolCalls.length ? c.toolCalls : undefined })));
    },
  };
}

/** `embeddings.create`. */
export function embeddingsCall(params: Params): LlmCall {
  const inputs = Array.isArray(params.input) ? params.input : [params.input];
  return {
    instrument: Instruments.OPENAI,
    name: "openai.embeddings",
    attributes: defined({ ...requestAttributes(params, "embedding"), [GEN_AI.streaming]: undefined }),
    prompts: () =>
      defined(Object.fromEntries(inputs.flatMap((input: unknown, i: number) => (typeof input === "string" ? [[`gen_ai.prompt.${i}.content`, input]] : [])))),
    recorder: (span) => ({
      response(value) {
        const result = value as Params;
        span.setAttributes(defined({ [GEN_AI.responseModel]: result?.model }));
        if (result?.usage) span.setAttributes(usageAttributes(result.usage.prompt_tokens, undefined, result.usage.total_tokens));
      },
      chunk() {},
      streamEnd() {},
    }),
  };
}
