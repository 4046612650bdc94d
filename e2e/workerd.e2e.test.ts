import { Miniflare } from "miniflare";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startOtlpReceiver } from "../test/helpers/otlp-receiver.js";
import { checkAll } from "./conformance/checks.js";
import { bundleRunner } from "./harness/consumer.js";

/** Bundled as wrangler does: conditions workerd, worker, browser (plus the browser field); node:* left to the runtime. */
async function workerScript(): Promise<string> {
  const file = await bundleRunner("worker.mjs", "worker.bundle.mjs", { conditions: ["workerd", "worker", "browser"], platform: "browser" });
  return readFileSync(file, "utf8");
}

async function runInWorkerd(flags: string[], label: string, explicit: boolean) {
  const receiver = await startOtlpReceiver();
  const warnings: string[] = [];
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: "worker.mjs", contents: await workerScript() }],
    compatibilityDate: "2025-09-01",
    compatibilityFlags: flags,
    bindings: { EXPORT_URL: `${receiver.url}/v1/traces`, RUNTIME_LABEL: label, EXPLICIT: explicit ? "1" : "0" },
    handleRuntimeStdio(stdout, stderr) {
      stdout.on("data", (chunk: Buffer) => warnings.push(chunk.toString()));
      stderr.on("data", (chunk: Buffer) => warnings.push(chunk.toString()));
    },
  });
  try {
    const response = await mf.dispatchFetch("http://worker/run");
    const reports = (await response.json()) as Record<string, Record<string, unknown>>;
    return { spans: receiver.spans, reports, warnings };
  } finally {
    await mf.dispose();
    await receiver.close();
  }
}

describe("conformance: Cloudflare Workers (workerd via Miniflare)", () => {
  it("passes every scenario with nodejs_als (AsyncLocalStorage)", async () => {
    const { spans, reports } = await runInWorkerd(["nodejs_als"], "workerd", false);
    checkAll("workerd", spans, reports, "workerd");
  });

  it("passes every scenario without any flag, by explicit context passing, with one clear warning", async () => {
    const { spans, reports, warnings } = await runInWorkerd([], "workerd", true);
    checkAll("workerd", spans, reports, "workerd");
    const lines = warnings.join("").split("\n").filter((line) => line.includes("AsyncLocalStorage is unavailable"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("nodejs_als");
  });
});
