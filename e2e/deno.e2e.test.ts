import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startOtlpReceiver } from "../test/helpers/otlp-receiver.js";
import { checkAll } from "./conformance/checks.js";
import { CONSUMER } from "./harness/consumer.js";
import { parseReport, runProcess } from "./harness/run-process.js";

const DENO = fileURLToPath(new URL("../node_modules/.bin/deno", import.meta.url));
const DENO_ENV = { DENO_DIR: fileURLToPath(new URL("../.deno-cache", import.meta.url)), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };

describe("conformance: Deno (the real deno binary, deno condition)", () => {
  it("passes every scenario with AsyncLocalStorage", async () => {
    const receiver = await startOtlpReceiver();
    try {
      // --allow-env is deliberately absent: reading RESPAN_* must not fail without it.
      const { output } = await runProcess(DENO, ["run", "--allow-net=127.0.0.1", "--allow-read", "cli.mjs", `${receiver.url}/v1/traces`, "deno"], {
        cwd: CONSUMER,
        env: DENO_ENV,
      });
      checkAll("deno", receiver.spans, parseReport(output), "deno");
    } finally {
      await receiver.close();
    }
  });

  it("reads RESPAN_* through Deno.env when --allow-env is given", async () => {
    const receiver = await startOtlpReceiver();
    try {
      const { output } = await runProcess(DENO, ["run", "--allow-net=127.0.0.1", "--allow-read", "--allow-env", "env.mjs"], {
        cwd: CONSUMER,
        env: { ...DENO_ENV, RESPAN_API_KEY: "deno-env-key-1", RESPAN_BASE_URL: receiver.url },
      });
      expect(parseReport(output)).toEqual({ build: "deno" });
      expect(receiver.spans.map((s) => s.name)).toEqual(["from_environment.task"]);
      expect(receiver.requests[0]).toMatchObject({ path: "/api/v2/traces", headers: { authorization: "Bearer deno-env-key-1" } });
    } finally {
      await receiver.close();
    }
  });

  it("a script that ends without flush() still delivers its spans (beforeunload)", async () => {
    const receiver = await startOtlpReceiver();
    try {
      const { code, output } = await runProcess(DENO, ["run", "--allow-net=127.0.0.1", "--allow-read", "deno-exit.mjs", `${receiver.url}/v1/traces`], { cwd: CONSUMER, env: DENO_ENV });
      expect(code, output).toBe(0);
      expect(receiver.spans.map((s) => s.name)).toEqual(["deno_exit.workflow"]);
    } finally {
      await receiver.close();
    }
  });
});
