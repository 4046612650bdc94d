/**
 * respan-tracing/zone in Chromium: Zone.js carries context through timers and promise callbacks;
 * native async/await is its documented limit (code compiled for ES2016 or lower keeps context).
 */
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { startOtlpReceiver, spanNamed } from "../test/helpers/otlp-receiver.js";
import { CHROMIUM } from "./harness/chromium.js";
import { bundleRunner } from "./harness/consumer.js";

async function runZonePage(target: string) {
  const bundle = await bundleRunner("zone-page.mjs", `zone-page.${target}.js`, { conditions: ["browser"], platform: "browser", target });
  const receiver = await startOtlpReceiver({
    "/": { contentType: "text/html", body: `<!doctype html><script src="/zone.js"></script>` },
    "/zone.js": { contentType: "text/javascript", body: readFileSync(bundle) },
  });
  const browser = await chromium.launch(CHROMIUM);
  try {
    const page = await browser.newPage();
    await page.goto(`${receiver.url}/`);
    await page.waitForFunction(() => (window as unknown as { zoneReady?: boolean }).zoneReady === true);
    const report = await page.evaluate((url) => (window as any).runZone(url), `${receiver.url}/v1/traces`);
    return { report, spans: receiver.spans };
  } finally {
    await browser.close();
    await receiver.close();
  }
}

describe("respan-tracing/zone in Chromium", () => {
  it.each(["es2022", "es2016"])("carries context through setTimeout and promise callbacks (%s)", async (target) => {
    const { report, spans } = await runZonePage(target);
    expect(report).toEqual({ registered: true });
    const root = spanNamed(spans, "callbacks_root.workflow");
    expect(spanNamed(spans, "after_timeout.task").parentSpanId).toBe(root.spanId);
    expect(spanNamed(spans, "after_then.task").parentSpanId).toBe(root.spanId);
  });

  it("native async/await (ES2017+) loses the context after an await, as documented", async () => {
    const { spans } = await runZonePage("es2022");
    expect(spanNamed(spans, "after_await.task").parentSpanId).toBeUndefined();
  });

  it("the same code compiled for ES2016 keeps the context across the await", async () => {
    const { spans } = await runZonePage("es2016");
    expect(spanNamed(spans, "after_await.task").parentSpanId).toBe(spanNamed(spans, "async_root.workflow").spanId);
  });
});
