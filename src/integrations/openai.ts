/**
 * `respan-tracing/openai`: traces the `openai` client on any runtime (no module hooks needed):
 * `openai.chat` (plain and streamed), `openai.embeddings` and `openai.responses` spans with
 * gen_ai attributes, usage and, unless `traceContent: false`, prompts and completions.
 * @example
 * import OpenAI from "openai";
 * import { instrumentOpenAI } from "respan-tracing/openai";
 * instrumentOpenAI(OpenAI); // or new RespanTelemetry({ instrumentModules: { openai: OpenAI } })
 *
 * Browser, Workers and edge builds carry this patch only when this module is imported (importing
 * it is what lets `instrumentModules: { openai }` work there); Node and Deno always carry it.
 */
import { registerModuleInstrumentor, type ModuleInstrumentor } from "../core/instrumentation.js";
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

export const openaiInstrumentor: ModuleInstrumentor = {
  instrument: Instruments.OPENAI,
  module: { key: "openai", packageName: "openai" },
  install: instrumentOpenAI,
};

// The reason to import this module in a browser, Worker or edge bundle (package.json lists this
// file in "sideEffects", so a bare `import "respan-tracing/openai"` is kept by bundlers).
registerModuleInstrumentor(openaiInstrumentor);
