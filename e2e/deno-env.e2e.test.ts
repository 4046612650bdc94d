import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { spanNamed, startOtlpReceiver } from "../test/helpers/otlp-receiver.js";
import { CONSUMER } from "./harness/consumer.js";
import { parseReport, runProcess } from "./harness/run-process.js";

const DENO = fileURLToPath(new URL("../node_modules/.bin/deno", import.meta.url));
const DENO_ENV = { DENO_DIR: fileURLToPath(new URL("../.deno-cache", import.meta.url)), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };
/** Only these variables reach Deno (nothing RESPAN_* leaks in from the test's own environment). */
const BASE_ENV = { ...DENO_ENV, PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
const KEY = "deno-partial-key-7";

/** Runs the partial-permission runner with `--allow-env=<allowed>` and the given variables set. */
async function runWithGrant(allowed: string, env: Record<string, string>, exportUrl?: string) {
  const args = ["run", "--allow-net=127.0.0.1", "--allow-read", `--allow-env=${allowed}`, "deno-env-partial.mjs", ...(exportUrl ? [exportUrl] : [])];
  return runProcess(DENO, args, { cwd: CONSUMER, env: { ...BASE_ENV, ...env }, inheritEnv: false });
}

describe("Deno: partial --allow-env grants (the real deno binary)", () => {
  it("--allow-env=RESPAN_API_KEY only: the key is used (other RESPAN_* reads are denied, not fatal)", async () => {
    const receiver = await startOtlpReceiver();
    try {
      const { code, output } = await runWithGrant("RESPAN_API_KEY", { RESPAN_API_KEY: KEY, RESPAN_LOG_LEVEL: "DEBUG" }, `${receiver.url}/v1/traces`);
      expect(code, output).toBe(0);
      expect(parseReport(output)).toEqual({ build: "deno" });
      const spans = await receiver.waitForSpans(2);
      expect(spanNamed(spans, "step.task").parentSpanId).toBe(spanNamed(spans, "partial_env.workflow").spanId);
      expect(receiver.requests[0]).toMatchObject({ path: "/v1/traces", headers: { authorization: `Bearer ${KEY}` } });
    } finally {
      await receiver.close();
    }
  });

  it("--allow-env=RESPAN_API_KEY,RESPAN_BASE_URL: both are used", async () => {
    const receiver = await startOtlpReceiver();
    try {
      const { code, output } = await runWithGrant("RESPAN_API_KEY,RESPAN_BASE_URL", { RESPAN_API_KEY: KEY, RESPAN_BASE_URL: receiver.url });
      expect(code, output).toBe(0);
      await receiver.waitForSpans(2);
      expect(receiver.requests[0]).toMatchObject({ path: "/api/v2/traces", headers: { authorization: `Bearer ${KEY}` } });
    } finally {
      await receiver.close();
    }
  });

  it("--allow-env=RESPAN_API_KEY,RESPAN_EXPORT_URL: spans go to RESPAN_EXPORT_URL with the key", async () => {
    const receiver = await startOtlpReceiver();
    try {
      const { code, output } = await runWithGrant("RESPAN_API_KEY,RESPAN_EXPORT_URL", { RESPAN_API_KEY: KEY, RESPAN_EXPORT_URL: `${receiver.url}/custom/traces` });
      expect(code, output).toBe(0);
      await receiver.waitForSpans(2);
      expect(receiver.requests[0]).toMatchObject({ path: "/custom/traces", headers: { authorization: `Bearer ${KEY}` } });
    } finally {
      await receiver.close();
    }
  });
});
