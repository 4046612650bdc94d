/**
 * A chat widget embedded on another site exports to the app's relay on a different origin: the
 * browser asks the relay first (a CORS preflight, for a JSON POST) and only sends the spans if the
 * relay's answers allow the site's origin. Real Chromium, the relay under Deno.serve.
 */
import { chromium, type Browser } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { startOtlpReceiver, spanNamed, type OtlpReceiver } from "../test/helpers/otlp-receiver.js";
import { CHROMIUM } from "./harness/chromium.js";
import { bundleRunner } from "./harness/consumer.js";
import { startDenoServer, type DenoServer } from "./harness/deno-server.js";

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  cleanups = [];
});

async function start(): Promise<{ receiver: OtlpReceiver; browser: Browser; site: string }> {
  const receiver = await startOtlpReceiver();
  cleanups.push(() => receiver.close());
  const bundle = await bundleRunner("widget-page.mjs", "widget-page.bundle.js", { conditions: ["browser"], platform: "browser" });
  const server: DenoServer = await startDenoServer("relay-cross-origin-deno.mjs", [receiver.url, bundle], { RELAY_API_KEY: "sk-relay-cross-9" });
  cleanups.push(() => server.stop());
  const browser = await chromium.launch(CHROMIUM);
  cleanups.push(() => browser.close());
  return { receiver, browser, site: `http://127.0.0.1:${server.ports[0]}` };
}

describe("browser widget → relay on another origin", () => {
  it("a flush from the open page is delivered, and the SDK sees it accepted (not failed)", async () => {
    const { receiver, browser, site } = await start();
    const page = await browser.newPage();
    await page.goto(`${site}/`);
    await page.waitForFunction(() => (window as unknown as { widgetReady?: boolean }).widgetReady === true);
    const stats = await page.evaluate(() => (window as any).traceAndFlush("embedded_answer"));
    const spans = await receiver.waitForSpans(1, 10_000);
    expect(spanNamed(spans, "embedded_answer.task").resource["service.name"]).toBe("embedded-widget");
    expect(receiver.requests[0]!.headers.authorization).toBe("Bearer sk-relay-cross-9");
    expect(stats).toMatchObject({ exported: 1, failed: 0, queued: 0 });
  });

  it("a span ended just before the page is left is delivered too", async () => {
    const { receiver, browser, site } = await start();
    const page = await browser.newPage();
    await page.goto(`${site}/`);
    await page.waitForFunction(() => (window as unknown as { widgetReady?: boolean }).widgetReady === true);
    await Promise.all([page.waitForURL(`${site}/blank`), page.evaluate(() => (window as any).spanThenLeave("embedded_click"))]);
    const spans = await receiver.waitForSpans(1, 10_000);
    expect(spanNamed(spans, "embedded_click.task").resource["service.name"]).toBe("embedded-widget");
  });
});
