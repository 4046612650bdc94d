/**
 * `npm start`: runs the tutorial against a local mock LLM server and prints its trace.
 *
 * The OpenAI and Anthropic clients are the real SDKs; only their base URL points at the mock, so
 * no provider key is needed. Spans go to the console (ConsoleTreeExporter) and
 * - with RESPAN_API_KEY set, to Respan (or RESPAN_EXPORT_URL) as well;
 * - with RESPAN_EXPORT_URL alone, to that endpoint (e.g. an already running `respan-tracing view`);
 * - with neither, to a local viewer started here (the package's `respan-tracing view`, port 4318 or
 *   a free one, data in .respan/). In a terminal it then keeps running until Ctrl-C so you can open
 *   the trace; when stdout is not a terminal (CI, tests, a pipe) it stops right away — the trace
 *   stays in .respan/ for `npx respan-tracing view`. RESPAN_VIEWER=off skips the viewer.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { ConsoleTreeExporter, RespanTelemetry } from "respan-tracing";
import { startMockLlmServer } from "./mock-llm-server.mjs";
import { runTutorial } from "./tutorial.mjs";
import { startLocalViewer } from "./viewer.mjs";

const server = await startMockLlmServer();
const viewer = await startLocalViewer(process.env);
let telemetry;
let keepViewerOpen = false;
try {
  // instrumentModules patches the clients at once; installed ones would also be found on their
  // own, a moment later (an async import), which could miss a call made right away.
  telemetry = new RespanTelemetry({
    appName: "node-tutorial",
    instrumentModules: { openai: OpenAI, anthropic: Anthropic },
    ...(viewer ? { exportUrl: `${viewer.url}/v1/traces` } : {}),
  });
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
  } else if (viewer) {
    const [trace] = viewer.store.list(); // the newest: this run's
    console.log(`\nRESPAN_API_KEY is not set: the spans were exported to the local viewer, not to Respan.`);
    console.log(`See the trace as a waterfall: ${viewer.url}/${trace ? `#/trace/${trace.traceId}` : ""}`);
    keepViewerOpen = process.stdout.isTTY === true;
    console.log(keepViewerOpen ? "The viewer keeps running; Ctrl-C to stop." : "Not a terminal: the viewer stops now. See it again with: npx respan-tracing view");
  } else if (exportUrl) {
    console.log(`\nRESPAN_API_KEY is not set: the spans were exported to ${exportUrl}.`);
  } else {
    console.log("\nRESPAN_API_KEY is not set: the spans were printed above only, not exported to Respan.");
  }
} catch (error) {
  console.error("The tutorial failed:", error);
  process.exitCode = 1;
  await telemetry?.shutdown();
} finally {
  await server.close();
  if (viewer && keepViewerOpen) {
    process.once("SIGINT", () => void viewer.close().then(() => process.exit(0)));
  } else await viewer?.close();
}
