/**
 * `respan-tracing/openai`: traces the `openai` client on any runtime (no module hooks needed):
 * `openai.chat` (plain and streamed), `openai.embeddings` and `openai.responses` spans with
 * gen_ai attributes, usage and, unless `traceContent: false`, prompts and completions.
 * @example
 * import OpenAI from "openai";
 * import { instrumentOpenAI } from "respan-tracing/openai";
 * instrumentOpenAI(OpenAI); // or new RespanTelemetry({ instrumentModules: { openai: OpenAI } })
 */
import { Instruments } from "../core/options.js";
import { chatCall, embeddingsCall } from "./llm/openai-chat.js";
import { responsesCall } from "./llm/openai-responses.js";
import { patchMethod, resolveClass } from "./llm/patch.js";

/** Patches the OpenAI client class (or the `openai` module); true when something was instrumented. */
export function instrumentOpenAI(OpenAI: unknown): boolean {
  const client = resolveClass(OpenAI, "OpenAI");
  if (!client) return false;
  const patched = [
    patchMethod(client.Chat?.Completions?.prototype, "create", Instruments.OPENAI, chatCall),
    patchMethod(client.Embeddings?.prototype, "create", Instruments.OPENAI, embeddingsCall),
    patchMethod(client.Responses?.prototype, "create", Instruments.OPENAI, responsesCall),
  ];
  return patched.some(Boolean);
}
