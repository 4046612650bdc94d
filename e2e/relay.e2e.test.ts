/**
 * The whole browser path: a page in Chromium exports to its own origin, where
 * createTraceRelay (under Deno.serve) adds the key server-side and forwards to the receiver.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { startOtlpReceiver, spanNamed } from "../test/helpers/otlp-receiver.js";
import { CHROMIUM } from "./harness/chromium.js";
import { CONSUMER, bundleRunner } from "./harness/consumer.js";

const DENO = fileURLToPath(new URL("../node_modules/.bin/deno", import.meta.url));

describe("browser → same-origin relay (Deno.serve) → Respan", () => {
  it("delivers the page's spans with the key added server-side; the page never sees it", async () => {
    const receiver = await startOtlpReceiver();
    const bundle = await bundleRunner("delivery-page.mjs", "relay-page.bundle.js", { conditions: ["browser"], platform: "browser" });
    const server = spawn(DENO, ["run", "--allow-net=127.0.0.1", "--allow-read", "--allow-env", "relay-deno.mjs", receiver.url, bundle], {
      cwd: CONSUMER,
      env: { ...process.env, RELAY_API_KEY: "sk-relay-secret-5", DENO_DIR: fileURLToPath(new URL("../.deno-cache", import.meta.url)), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const browser = await chromium.launch(CHROMIUM);
    try {
      const port = await new Promise<string>((resolve, reject) => {
        let out = "";
        server.stdout.on("data", (chunk) => {
          out += chunk;
          const match = /LISTENING (\d+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        server.stderr.on("data", (chunk) => (out += chunk));
        server.on("exit", () => reject(new Error(`relay server exited:\n${out}`)));
      });
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
      const exited = new Promise((resolve) => server.once("exit", resolve));
      server.kill("SIGTERM");
      if (server.exitCode === null) await exited;
      await receiver.close();
    }
  });
});
