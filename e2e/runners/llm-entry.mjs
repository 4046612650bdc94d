// Entry points of the LLM calls for each runtime: a CLI (Node), a Worker, and a page.
import * as sdk from "respan-tracing";
import { runLlmCalls } from "./llm-calls.mjs";

export default {
  async fetch(request, env) {
    return Response.json(await runLlmCalls(sdk, { llmUrl: env.LLM_URL, exportUrl: env.EXPORT_URL, runtime: "workerd", explicit: false }));
  },
};

if (typeof window !== "undefined") {
  window.runLlm = (llmUrl, exportUrl) => runLlmCalls(sdk, { llmUrl, exportUrl, runtime: "browser", explicit: true });
  window.llmReady = true;
} else if (typeof process !== "undefined" && process.argv?.[1]?.endsWith("llm-entry.mjs")) {
  const [llmUrl, exportUrl] = process.argv.slice(2);
  console.log(`REPORT ${JSON.stringify(await runLlmCalls(sdk, { llmUrl, exportUrl, runtime: "node", explicit: false }))}`);
}
