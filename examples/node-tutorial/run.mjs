/**
 * `npm start`: runs the tutorial against a local mock LLM server and prints its trace.
 *
 * The OpenAI and Anthropic clients are the real SDKs; only their base URL points at the mock, so
 * no provider key is needed. Spans go to the console (ConsoleTreeExporter) and, when
 * RESPAN_API_KEY is set, to Respan as well.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { ConsoleTreeExporter, RespanTelemetry } from "respan-tracing";
import { startMockLlmServer } from "./mock-llm-server.mjs";
import { runTutorial } from "./tutorial.mjs";

const server = await startMockLlmServer();
let telemetry;
try {
  // instrumentModules patches the clients at once; installed ones would also be found on their
  // own, a moment later (an async import), which could miss a call made right away.
  telemetry = new RespanTelemetry({ appName: "node-tutorial", instrumentModules: { openai: OpenAI, anthropic: Anthropic } });
  // Unbatched, so the tree prints the moment the root workflow ends.
  telemetry.addProcessor({ exporter: new ConsoleTreeExporter(), filter: () => true, isBatchingEnabled: false });

  const openai = new OpenAI({ apiKey: "mock-key", baseURL: `${server.url}/v1` });
  const anthropic = new Anthropic({ apiKey: "mock-key", baseURL: server.url });

  console.log(`Telling a pirate joke to an audience (mock LLM server at ${server.url})...`);
  const joke = await runTutorial({ openai, anthropic });
  console.log(`\nThe joke:\n\n${joke}\n`);

  await telemetry.shutdown(); // flushes: the ConsoleTreeExporter prints the trace now
  const { apiKey, exportUrl, baseUrl } = telemetry.config;
  if (apiKey) {
    const url = exportUrl ?? `${baseUrl}/v2/traces`;
    const { failed, dropped } = telemetry.getDeliveryStats();
    const lost = failed + dropped;
    console.log(
      lost > 0
        ? `\nRESPAN_API_KEY is set: the spans were sent to Respan at ${url}, but ${lost} could not be delivered (see the warning above).`
        : `\nRESPAN_API_KEY is set: the spans were also exported to Respan at ${url}.`,
    );
  } else {
    console.log("\nRESPAN_API_KEY is not set: the spans were printed above only, not exported to Respan.");
  }
} catch (error) {
  console.error("The tutorial failed:", error);
  process.exitCode = 1;
  await telemetry?.shutdown();
} finally {
  await server.close();
}
