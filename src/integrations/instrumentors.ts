import type { Instrumentor } from "../core/instrumentation.js";
import { Instruments } from "../core/options.js";
import { instrumentFetch, type PropagationTarget } from "./fetch.js";
import { activeHost } from "../core/host.js";

/**
 * The FETCH instrumentation, which every runtime offers. `defaultTargets` says where fetch carries
 * `traceparent` when `tracePropagationTargets` is not given (browsers: the page's own origin).
 *
 * The OpenAI and Anthropic patches are not here on purpose: importing them has to be a choice of
 * the runtime entry. Node and Deno list them (Node discovers installed clients, and bundle size
 * does not matter there); browser, Workers and edge builds get them only from the
 * `respan-tracing/openai` / `/anthropic` imports of the apps that use them.
 */
export function fetchInstrumentor(defaultTargets: () => PropagationTarget[]): Instrumentor {
  const targets = () => activeHost()?.options.tracePropagationTargets ?? defaultTargets();
  return { instrument: Instruments.FETCH, install: () => instrumentFetch(targets) };
}
