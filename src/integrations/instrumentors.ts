import type { Instrumentor } from "../core/instrumentation.js";
import { Instruments } from "../core/options.js";
import { instrumentAnthropic } from "./anthropic.js";
import { instrumentFetch, type PropagationTarget } from "./fetch.js";
import { instrumentOpenAI } from "./openai.js";
import { activeHost } from "../core/host.js";

/**
 * The instrumentations every runtime offers. `defaultTargets` says where fetch carries
 * `traceparent` when `tracePropagationTargets` is not given (browsers: the page's own origin).
 */
export function llmAndFetchInstrumentors(defaultTargets: () => PropagationTarget[]): Instrumentor[] {
  const targets = () => activeHost()?.options.tracePropagationTargets ?? defaultTargets();
  return [
    { instrument: Instruments.OPENAI, module: { key: "openai", packageName: "openai" }, install: instrumentOpenAI },
    { instrument: Instruments.ANTHROPIC, module: { key: "anthropic", packageName: "@anthropic-ai/sdk" }, install: instrumentAnthropic },
    { instrument: Instruments.FETCH, install: () => instrumentFetch(targets) },
  ];
}
