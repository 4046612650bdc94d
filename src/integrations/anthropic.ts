/**
 * `respan-tracing/anthropic`: traces `@anthropic-ai/sdk` on any runtime: `anthropic.completion`
 * spans for `messages.create` and `messages.stream()`, plain and streamed. The SDK's own spans for
 * the same call are suppressed, so each call appears once.
 * @example
 * import Anthropic from "@anthropic-ai/sdk";
 * import { instrumentAnthropic } from "respan-tracing/anthropic";
 * instrumentAnthropic(Anthropic); // or new RespanTelemetry({ instrumentModules: { anthropic: Anthropic } })
 *
 * Browser, Workers and edge builds carry this patch only when this module is imported (importing
 * it is what lets `instrumentModules: { anthropic }` work there); Node and Deno always carry it.
 */
import { registerModuleInstrumentor, type ModuleInstrumentor } from "../core/instrumentation.js";
import { Instruments } from "../core/options.js";
import { messagesCall } from "./llm/anthropic-messages.js";
import { patchHelper, patchMethod, resolveClass } from "./llm/patch.js";

/** Patches the Anthropic client class (or the module); true when something was instrumented. */
export function instrumentAnthropic(Anthropic: unknown): boolean {
  const client = resolveClass(Anthropic, "Anthropic");
  if (!client) return false;
  const created = patchMethod(client.Messages?.prototype, "create", Instruments.ANTHROPIC, messagesCall);
  patchHelper(client.Messages?.prototype, "stream", Instruments.ANTHROPIC);
  return created;
}

export const anthropicInstrumentor: ModuleInstrumentor = {
  instrument: Instruments.ANTHROPIC,
  module: { key: "anthropic", packageName: "@anthropic-ai/sdk" },
  install: instrumentAnthropic,
};

// The reason to import this module in a browser, Worker or edge bundle (see openai.ts).
registerModuleInstrumentor(anthropicInstrumentor);
