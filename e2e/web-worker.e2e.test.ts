import { readFileSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spanNamed, startOtlpReceiver, type OtlpReceiver } from "../test/helpers/otlp-receiver.js";
import { CHROMIUM } from "./harness/chromium.js";
import { bundleRunner } from "./harness/consumer.js";

/** The page only starts the worker and relays its messages; everything traced runs in the worker. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>respan web worker</title>
<script>
  window.runWorker = (exportUrl) => new Promise((resolve) => {
    const worker = new Worker("/web-worker.js", { type: "module" });
    worker.onerror = (event) => resolve({ error: "worker error: " + event.message });
    worker.onmessage = ({ data }) => {
      if (data.ready) worker.postMessage({ exportUrl });
      else resolve(data);
    };
  });
</script>`;

describe("browser build in a dedicated Web Worker (Chromium, browser condition)", () => {
  let browser: Browser;
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    const bundle = await bundleRunner("web-worker.mjs", "web-worker.bundle.js", { conditions: ["browser"], platform: "browser" });
    receiver = await startOtlpReceiver({
      "/": { contentType: "text/html", body: PAGE },
      "/web-worker.js": { contentType: "text/javascript", body: readFileSync(bundle) },
      "/ping": { contentType: "text/plain", body: "pong" },
      // Chromium asks for it; a 404 would show up as a console error.
      "/favicon.ico": { contentType: "image/x-icon", body: "" },
    });
    browser = await chromium.launch(CHROMIUM);
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
  });

  it("constructs, traces a workflow with a task and delivers both with the right parent", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(`${receiver.url}/`);
    const outcome = await page.evaluate((url) => (window as any).runWorker(url), `${receiver.url}/v1/traces`);
    expect(outcome).toMatchObject({ ok: true, runtime: "browser", hasDocument: false, hasWindow: false, stats: { exported: 3, failed: 0, dropped: 0 } });
    expect(errors).toEqual([]);
    const spans = await receiver.waitForSpans(3);
    const workflow = spanNamed(spans, "worker_job.workflow");
    const step = spanNamed(spans, "worker_step.task");
    expect(step).toMatchObject({ traceId: workflow.traceId, parentSpanId: workflow.spanId });
    const ping = spans.find((span) => span.attributes["url.full"] === `${receiver.url}/ping`)!;
    expect(ping).toMatchObject({ traceId: workflow.traceId, parentSpanId: step.spanId });
    // Same origin as the worker: the request carried the trace on.
    expect(receiver.gets.find((get) => get.path === "/ping")?.headers.traceparent).toBe(`00-${ping.traceId}-${ping.spanId}-01`);
    await page.close();
  });
});
