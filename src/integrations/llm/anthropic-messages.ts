import type { Span } from "@opentelemetry/api";
import { Instruments } from "../../core/options.js";
import { safeStringify } from "../../core/safe-json.js";
import { GEN_AI, contentText, defined, messageAttributes, toolAttributes, usageAttributes, type Message } from "./gen-ai.js";
import type { LlmCall, ResponseRecorder } from "./llm-call.js";

type Params = Record<string, any>;

function promptMessages(params: Params): Message[] {
  const messages: Message[] = [];
  if (params.system !== undefined) messages.push({ role: "system", content: contentText(params.system) });
  for (const m of (params.messages ?? []) as Params[]) messages.push({ role: String(m.role ?? "user"), content: contentText(m.content) });
  return messages;
}

/** `messages.create` (also what `messages.stream()` calls): plain and streamed events. */
export function messagesCall(params: Params): LlmCall {
  return {
    instrument: Instruments.ANTHROPIC,
    // The name the Python SDK's tutorial shows for Anthropic calls.
    name: "anthropic.completion",
    attributes: defined({
      [GEN_AI.system]: "anthropic",
      [GEN_AI.requestType]: "chat",
      [GEN_AI.requestModel]: params.model,
      [GEN_AI.temperature]: params.temperature,
      [GEN_AI.maxTokens]: params.max_tokens,
      [GEN_AI.topP]: params.top_p,
      [GEN_AI.topK]: params.top_k,
      [GEN_AI.stopSequences]: params.stop_sequences,
      [GEN_AI.streaming]: params.stream === true,
      ...toolAttributes(params.tools),
    }),
    prompts: () => messageAttributes("gen_ai.prompt", promptMessages(params)),
    recorder: (span, withContent) => messagesRecorder(span, withContent),
  };
}

interface Block {
  type: string;
  text: string;
  id?: string;
  name?: string;
  json: string;
}

function messagesRecorder(span: Span, withContent: boolean): ResponseRecorder {
  let model: string | undefined;
  let id: string | undefined;
  let stopReason: string | undefined;
  let inputTokens: number | undefined;
  let outputTokens: number | undefined;
  const blocks: Block[] = [];
  const write = () => {
    span.setAttributes(defined({ [GEN_AI.responseModel]: model, [GEN_AI.responseId]: id }));
    if (stopReason) span.setAttribute(GEN_AI.finishReasons, [stopReason]);
    span.setAttributes(usageAttributes(inputTokens, outputTokens));
    if (!withContent) return;
    const text = blocks.filter((b) => b.type === "text").map((b) => b.text).join("");
    const toolCalls = blocks.filter((b) => b.type === "tool_use").map((b) => ({ id: b.id, name: b.name, arguments: b.json }));
    span.setAttributes(messageAttributes("gen_ai.completion", [{ role: "assistant", content: text, finishReason: stopReason, toolCalls: toolCalls.length ? toolCalls : undefined }]));
  };
  return {
    response(value) {
      const message = value as Params;
      model = message?.model;
      id = message?.id;
      stopReason = message?.stop_reason ?? undefined;
      inputTokens = message?.usage?.input_tokens;
      outputTokens = message?.usage?.output_tokens;
      for (const block of (message?.content ?? []) as Params[]) {
        blocks.push({ type: block.type, text: block.text ?? "", id: block.id, name: block.name, json: block.input !== undefined ? safeStringify(block.input) : "" });
      }
      write();
    },
    chunk(value) {
      const event = value as Params;
      switch (event?.type) {
        case "message_start":
          model = event.message?.model;
          id = event.message?.id;
          inputTokens = event.message?.usage?.input_tokens;
          outputTokens = event.message?.usage?.output_tokens;
          break;
        case "content_block_start": {
          const b = event.content_block ?? {};
          blocks[event.index ?? blocks.length] = { type: b.type, text: b.text ?? "", id: b.id, name: b.name, json: "" };
          break;
        }
        case "content_block_delta": {
          const block = blocks[event.index ?? 0];
          if (!block) break;
          if (event.delta?.type === "text_delta") block.text += event.delta.text ?? "";
          if (event.delta?.type === "input_json_delta") block.json += event.delta.partial_json ?? "";
          break;
        }
        case "message_delta":
          stopReason = event.delta?.stop_reason ?? stopReason;
          if (typeof event.usage?.output_tokens === "number") outputTokens = event.usage.output_tokens;
          break;
      }
    },
    streamEnd() {
      write();
    },
  };
}
