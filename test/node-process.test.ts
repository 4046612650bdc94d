/** Runs the built package (dist/) in a real Node process, as an app would load it. */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startOtlpReceiver } from "./helpers/otlp-receiver.js";
import { onCleanup } from "./helpers/setup.js";
import { runProcess } from "../e2e/harness/run-process.js";

const runNode = (script: string, env: Record<string, string>) =>
  runProcess(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], { cwd: process.cwd(), env: { PATH: process.env.PATH ?? "", ...env }, inheritEnv: false, timeoutMs: 20_000 });

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

  it.each([
    ["ESM import", "./fixtures/discover.mjs"],
    ["CJS require", "./fixtures/discover.cjs"],
  ])("%s: an installed openai is found and traced without instrumentModules", async (_label, script) => {
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    const { code, output } = await runNode(script, { RESPAN_API_KEY: "proc-key-1234", RESPAN_BASE_URL: receiver.url });
    expect(code, output).toBe(0);
    const llm = receiver.spans.find((s) => s.name === "openai.chat");
    expect(llm?.parentSpanId).toBe(receiver.spans.find((s) => s.name === "ask.task")?.spanId);
  });
});
