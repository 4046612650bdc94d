/**
 * The whole browser path: a page in Chromium exports to its own origin, where
 * createTraceRelay (under Deno.serve) adds the key server-side and forwards to the receiver.
 */
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { startOtlpReceiver, spanNamed } from "../test/helpers/otlp-receiver.js";
import { CHROMIUM } from "./harness/chromium.js";
import { bundleRunner } from "./harness/consumer.js";
import { startDenoServer } from "./harness/deno-server.js";

describe("browser → same-origin relay (Deno.serve) → Respan", () => {
  it("delivers the page's spans with the key added server-side; the page never sees it", async () => {
    const receiver = await startOtlpReceiver();
    const bundle = await bundleRunner("delivery-page.mjs", "relay-page.bundle.js", { conditions: ["browser"], platform: "browser" });
    const server = await startDenoServer("relay-deno.mjs", [receiver.url, bundle], { RELAY_API_KEY: "sk-relay-secret-5" });
    const browser = await chromium.launch(CHROMIUM);
    try {
      const port = server.ports[0];
      const page = await browser.newPage();
      const pageRequests: string[] = [];
      page.on("request", (request) => pageRequests.push(JSON.stringify(request.headers())));
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => (window as unknown as { deliveryReady?: boolean }).deliveryReady === true);
      await Promise.all([page.waitForURL(`http://127.0.0.1:${port}/blank`), page.evaluate(() => (window as any).spanThenLeave("relayed_click"))]);
      const spans = await receiver.waitForSpans(1, 10_000);
      expect(spanNamed(spans, "relayed_click.task").resource["service.name"]).toBe("browser-delivery");
      expect(receiver.requests[0]!.headers.authorization).toBe("Bearer sk-relay-secret-5");
      expect(pageRequests.join("\n")).not.toContain("sk-relay-secret-5");
    } finally {
      await browser.close();
      await server.stop();
      await receiver.close();
    }
  });
});
