/** Runs the built package (dist/) in a real Node process, as an app would load it. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startOtlpReceiver } from "./helpers/otlp-receiver.js";
import { onCleanup } from "./helpers/setup.js";

function runNode(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("SPEC §8/§9 Node process lifecycle", () => {
  it.each([
    ["ESM import", "./fixtures/exit-without-flush.mjs", "esm_exit.workflow", "esm-exit"],
    ["CJS require", "./fixtures/exit-without-flush.cjs", "cjs_exit.task", "cjs-exit"],
  ])("%s: a process that exits without flush() still delivers its spans (beforeExit)", async (_label, script, spanName, app) => {
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    const { code, output } = await runNode(script, { RESPAN_API_KEY: "proc-key-1234", RESPAN_BASE_URL: receiver.url });
    expect(output).not.toContain("proc-key-1234");
    expect(code).toBe(0);
    expect(receiver.spans.map((s) => s.name)).toEqual([spanName]);
    expect(receiver.spans[0]!.resource["service.name"]).toBe(app);
  });
});
