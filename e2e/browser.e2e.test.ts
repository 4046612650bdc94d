import { readFileSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOtlpReceiver, type OtlpReceiver } from "../test/helpers/otlp-receiver.js";
import { checkAll } from "./conformance/checks.js";
import { CHROMIUM } from "./harness/chromium.js";
import { bundleRunner } from "./harness/consumer.js";


const PAGE = `<!doctype html><meta charset="utf-8"><title>respan conformance</title><script type="module" src="/page.js"></script>`;

describe("conformance: Chromium (Playwright, browser condition, explicit context passing)", () => {
  let browser: Browser;
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    const bundle = await bundleRunner("page.mjs", "page.bundle.js", { conditions: ["browser"], platform: "browser" });
    // The page and the "relay" share one origin, as SPEC §10 asks of browsers.
    receiver = await startOtlpReceiver({
      "/": { contentType: "text/html", body: PAGE },
      "/page.js": { contentType: "text/javascript", body: readFileSync(bundle) },
    });
    browser = await chromium.launch(CHROMIUM);
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
  });

  it("passes every scenario", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${receiver.url}/`);
    await page.waitForFunction(() => (window as unknown as { conformanceReady?: boolean }).conformanceReady === true);
    const reports = await page.evaluate((url) => (window as any).runConformance(url), `${receiver.url}/v1/traces`);
    expect(errors).toEqual([]);
    checkAll("browser", receiver.spans, reports, "browser");
    await page.close();
  });

  it("refuses an apiKey in the page unless dangerouslyAllowBrowser is set", async () => {
    const page = await browser.newPage();
    await page.goto(`${receiver.url}/`);
    await page.waitForFunction(() => (window as unknown as { conformanceReady?: boolean }).conformanceReady === true);
    const outcome = await page.evaluate(() => (window as any).tryApiKey());
    expect(outcome.refused).toMatch(/apiKey in a browser would be readable by every visitor/);
    expect(outcome.allowed).toBe("constructed");
    await page.close();
  });
});
