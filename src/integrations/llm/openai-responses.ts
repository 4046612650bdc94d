import type { Span } from "@opentelemetry/api";
import { Instruments } from "../../core/options.js";
import { GEN_AI, contentText, defined, messageAttributes, toolAttributes, usageAttributes, type Message } from "./gen-ai.js";
import type { LlmCall, ResponseRecorder } from "./llm-call.js";
import { requestAttributes } from "./openai-chat.js";

type Params = Record<string, any>;

function promptMessages(params: Params): Message[] {
  const messages: Message[] = [];
  if (typeof params.instructions === "string") messages.push({ role: "system", content: params.instructions });
  if (typeof params.input === "string") messages.push({ role: "user", content: params.input });
  else if (Array.isArray(params.input)) {
    for (const item of params.input as Params[]) messages.push({ role: String(item.role ?? item.type ?? "user"), content: contentText(item.content ?? item.output) });
  }
  return messages;
}

/** The assistant message(s) and function calls of a Responses API `Response` object. */
function outputMessages(response: Params): Message[] {
  const text: string[] = [];
  const toolCalls: NonNullable<Message["toolCalls"]> = [];
  for (const item of (response?.output ?? []) as Params[]) {
    if (item.type === "message") for (const part of item.content ?? []) if (typeof part.text === "string") text.push(part.text);
    if (item.type === "function_call") toolCalls.push({ id: item.call_id ?? item.id, name: item.name, arguments: item.arguments });
  }
  return [{ role: "assistant", content: text.join(""), finishReason: response?.status, toolCalls: toolCalls.length ? toolCalls : undefined }];
}

/** `responses.create`: plain, and streamed events (`response.output_text.delta` … `response.completed`). */
export function responsesCall(params: Params): LlmCall {
  return {
    instrument: Instruments.OPENAI,
    name: "openai.responses",
    attributes: defined({ ...requestAttributes(params, "chat"), ...toolAttributes(params.tools) }),
    prompts: () => messageAttributes("gen_ai.prompt", promptMessages(params)),
    recorder: (span, withContent) => responsesRecorder(span, withContent),
  };
}

function responsesRecorder(span: Span, withContent: boolean): ResponseRecorder {
  let completed: Params | undefined;
  let streamedText = "";
  const write = (response: Params | undefined, fallbackText: string) => {
    if (response) {
      span.setAttributes(defined({ [GEN_AI.responseModel]: response.model, [GEN_AI.responseId]: response.id }));
      if (typeof response.status === "string") span.setAttribute(GEN_AI.finishReasons, [response.status]);
      if (response.usage) span.setAttributes(usageAttributes(response.usage.input_tokens, response.usage.output_tokens, response.usage.total_tokens));
    }
    if (!withContent) return;
    const messages = response ? outputMessages(response) : [{ role: "assistant", content: fallbackText }];
    if (!messages[0]!.content && fallbackText) messages[0]!.content = fallbackText;
    span.setAttributes(messageAttributes("gen_ai.completion", messages));
  };
  return {
    response(value) {
      write(value as Params, "");
    },
    chunk(value) {
      const event = value as Params;
      if (event?.type === "response.output_text.delta" && typeof event.delta === "string") streamedText += event.delta;
      if (event?.type === "response.completed" || event?.type === "response.incomplete" || event?.type === "response.failed") completed = event.response;
    },
    streamEnd() {
      write(completed, streamedText);
    },
  };
}
