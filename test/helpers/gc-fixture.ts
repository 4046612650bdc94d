import { fileURLToPath } from "node:url";
import { parseReport, runProcess } from "../../e2e/harness/run-process.js";
import { mockLlm } from "./mock-llm.js";

/**
 * Runs `test/fixtures/<name>` in a real Node process with --expose-gc (so it can collect at will)
 * against the loopback LLM mock (MOCK_LLM_URL); answers its exit code, output and REPORT line.
 */
export async function runGcFixture<Report>(name: string): Promise<{ code: number | null; output: string; report: () => Report }> {
  const llm = await mockLlm();
  const { code, output } = await runProcess(process.execPath, ["--expose-gc", fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? "", MOCK_LLM_URL: llm.url },
    inheritEnv: false,
    timeoutMs: 60_000,
  });
  return { code, output, report: () => parseReport(output) as unknown as Report };
}
