/** Browser delivery in Chromium: beacons on page exit, the 64 KiB keepalive quota, truncation. */
import { readFileSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startOtlpReceiver, spanNamed, type OtlpReceiver } from "../test/helpers/otlp-receiver.js";
import { CHROMIUM } from "./harness/chromium.js";
import { bundleRunner } from "./harness/consumer.js";

const HTML = `<!doctype html><meta charset="utf-8"><script src="/delivery.js"></script>`;

describe("browser delivery (Chromium)", () => {
  let browser: Browser;
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    const bundle = await bundleRunner("delivery-page.mjs", "delivery-page.bundle.js", { conditions: ["browser"], platform: "browser" });
    receiver = await startOtlpReceiver({
      "/": { contentType: "text/html", body: HTML },
      "/blank": { contentType: "text/html", body: "<!doctype html><p>elsewhere</p>" },
      "/delivery.js": { contentType: "text/javascript", body: readFileSync(bundle) },
    });
    browser = await chromium.launch(CHROMIUM);
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
  });

  beforeEach(() => {
    receiver.spans.length = 0;
    receiver.requests.length = 0;
    receiver.gets.length = 0;
  });

  async function openPage(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${receiver.url}/`);
    await page.waitForFunction(() => (window as unknown as { deliveryReady?: boolean }).deliveryReady === true);
    return page;
  }

  it("a span ended right before navigating away arrives, 20 times out of 20", async () => {
    const page = await openPage();
    for (let i = 0; i < 20; i++) {
      if (i > 0) {
        await page.goto(`${receiver.url}/`);
        await page.waitForFunction(() => (window as unknown as { deliveryReady?: boolean }).deliveryReady === true);
      }
      await Promise.all([page.waitForURL(`${receiver.url}/blank`), page.evaluate((name) => (window as any).spanThenLeave(name), `leave_${i}`)]);
    }
    await receiver.waitForSpans(20, 10_000);
    expect(receiver.spans.map((s) => s.name).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `leave_${i}.task`).sort());
    // Each left as a beacon, the one kind of request that outlives the page.
    await page.goto(`${receiver.url}/`);
    await page.waitForFunction(() => (window as unknown as { deliveryReady?: boolean }).deliveryReady === true);
    expect(await page.evaluate(() => (window as any).beaconCount())).toBe(20);
    await page.close();
  });

  it("a span carrying a 200 KB prompt arrives, its prompt truncated with a marker to fit 60 KiB", async () => {
    const page = await openPage();
    await page.evaluate(() => (window as any).bigPrompt());
    const [span] = await receiver.waitForSpans(1);
    const prompt = spanNamed([span!], "big_prompt.task").attributes["gen_ai.prompt.0.content"] as string;
    expect(prompt.startsWith("ahoy ahoy")).toBe(true);
    expect(prompt).toMatch(/…\[truncated \d+ chars\]$/);
    expect(receiver.requests.every((r) => r.bytes <= 60 * 1024)).toBe(true);
    await page.close();
  });

  it("a span made too big by its events is delivered in one body under the quota (the tab never hangs)", async () => {
    const page = await openPage();
    // Before the fix this evaluate never returned: shrinking looped forever on the main thread.
    await page.evaluate(() => (window as any).eventHeavySpan());
    const [span] = await receiver.waitForSpans(1);
    expect(span!.name).toBe("event_heavy.task");
    expect(span!.attributes["respan.truncated"]).toBe(true);
    expect(receiver.requests.every((r) => r.bytes <= 60 * 1024)).toBe(true);
    await page.close();
  });

  it("createRespanSpanProcessor refuses an apiKey in the browser exactly like the constructor", async () => {
    const page = await openPage();
    const guards = await page.evaluate(() => (window as any).keyGuards());
    expect(guards.constructor).toMatch(/apiKey in a browser would be readable by every visitor/);
    expect(guards.processor).toBe(guards.constructor);
    expect(guards.processorAllowed).toBe("allowed");
    await page.close();
  });

  it("the FETCH instrument adds traceparent to same-origin requests only, and never traces the exports", async () => {
    const page = await openPage();
    const otherOrigin = receiver.url.replace("127.0.0.1", "localhost");
    await page.evaluate((origin) => (window as any).fetchFromTask(origin), otherOrigin);
    const spans = await receiver.waitForSpans(3);
    const task = spanNamed(spans, "widget_call.task");
    const same = receiver.gets.find((g) => g.path === "/api/echo?same")!;
    const fetchSpan = spans.find((s) => s.attributes["url.full"] === `${receiver.url}/api/echo`)!;
    expect(fetchSpan.parentSpanId).toBe(task.spanId);
    expect(same.headers.traceparent).toBe(`00-${task.traceId}-${fetchSpan.spanId}-01`);
    const other = receiver.gets.find((g) => g.path === "/api/echo?other")!;
    expect(other.headers.traceparent).toBeUndefined();
    expect(spans.filter((s) => String(s.attributes["url.full"] ?? "").endsWith("/v1/traces"))).toEqual([]);
    await page.close();
  });

  it("a batch far over the quota is split into bodies under 60 KiB, all delivered", async () => {
    const page = await openPage();
    await page.evaluate(() => (window as any).manySpans());
    await receiver.waitForSpans(100);
    expect(new Set(receiver.spans.map((s) => s.name)).size).toBe(100);
    expect(receiver.requests.length).toBeGreaterThan(5);
    expect(Math.max(...receiver.requests.map((r) => r.bytes))).toBeLessThanOrEqual(60 * 1024);
    await page.close();
  });
});
