/**
 * LLM instrumentation from the packed package, in Node, workerd and Chromium: the real openai and
 * @anthropic-ai/sdk clients against the loopback mock provider.
 */
import { Miniflare } from "miniflare";
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { describe, it } from "vitest";
import { startMockLlmServer } from "../examples/node-tutorial/mock-llm-server.mjs";
import { startOtlpReceiver } from "../test/helpers/otlp-receiver.js";
import { checkLlmCalls } from "./conformance/llm-checks.js";
import { CHROMIUM } from "./harness/chromium.js";
import { CONSUMER, bundleRunner } from "./harness/consumer.js";
import { parseReport, runProcess } from "./harness/run-process.js";

async function withServers(run: (llmUrl: string, receiver: Awaited<ReturnType<typeof startOtlpReceiver>>) => Promise<void>, files = {}) {
  const llm = await startMockLlmServer();
  const receiver = await startOtlpReceiver(files);
  try {
    await run(llm.url, receiver);
  } finally {
    await receiver.close();
    await llm.close();
  }
}

describe("LLM instrumentation in real runtimes", () => {
  it("Node (node condition)", () =>
    withServers(async (llmUrl, receiver) => {
      const { output } = await runProcess(process.execPath, ["llm-entry.mjs", llmUrl, `${receiver.url}/v1/traces`], { cwd: CONSUMER });
      checkLlmCalls("node", receiver.spans, parseReport(output));
    }));

  it("Cloudflare Workers (workerd, nodejs_als)", () =>
    withServers(async (llmUrl, receiver) => {
      const file = await bundleRunner("llm-entry.mjs", "llm-worker.bundle.mjs", { conditions: ["workerd", "worker", "browser"], platform: "browser" });
      const mf = new Miniflare({
        modules: [{ type: "ESModule", path: "worker.mjs", contents: readFileSync(file, "utf8") }],
        compatibilityDate: "2025-09-01",
        compatibilityFlags: ["nodejs_als"],
        bindings: { LLM_URL: llmUrl, EXPORT_URL: `${receiver.url}/v1/traces` },
      });
      try {
        const report = await (await mf.dispatchFetch("http://worker/")).json();
        checkLlmCalls("workerd", receiver.spans, report);
      } finally {
        await mf.dispose();
      }
    }));

  it("Chromium (browser condition, explicit context)", async () => {
    const file = await bundleRunner("llm-entry.mjs", "llm-page.bundle.js", { conditions: ["browser"], platform: "browser" });
    await withServers(
      async (llmUrl, receiver) => {
        const browser = await chromium.launch(CHROMIUM);
        try {
          const page = await browser.newPage();
          await page.goto(`${receiver.url}/`);
          await page.waitForFunction(() => (window as unknown as { llmReady?: boolean }).llmReady === true);
          const report = await page.evaluate(([llm, url]) => (window as any).runLlm(llm, url), [llmUrl, `${receiver.url}/v1/traces`]);
          checkLlmCalls("browser", receiver.spans, report, true);
        } finally {
          await browser.close();
        }
      },
      {
        "/": { contentType: "text/html", body: `<!doctype html><script type="module" src="/llm.js"></script>` },
        "/llm.js": { contentType: "text/javascript", body: readFileSync(file) },
      },
    );
  });
});
