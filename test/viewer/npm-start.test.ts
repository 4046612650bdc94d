/** `npm start` without RESPAN_API_KEY: the tutorial's trace goes to a local viewer, and the script still ends when not in a terminal. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runProcess } from "../../e2e/harness/run-process.js";
import { startViewer } from "../../src/viewer/server.js";
import { onCleanup } from "../helpers/setup.js";

describe("examples/node-tutorial without RESPAN_API_KEY", () => {
  it("exports to the local viewer, prints its URL, saves the trace and exits (stdout is not a terminal)", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "respan-start-"));
    onCleanup(() => rmSync(cwd, { recursive: true, force: true }));
    const script = fileURLToPath(new URL("../../examples/node-tutorial/run.mjs", import.meta.url));
    const { code, output } = await runProcess(process.execPath, [script], { cwd, env: { PATH: process.env.PATH ?? "" }, inheritEnv: false, timeoutMs: 60_000 });
    expect(code, output).toBe(0);
    expect(output).toMatch(/└─ joke_and_audience_reaction\.workflow/);
    expect(output).toMatch(/See the trace as a waterfall: http:\/\/127\.0\.0\.1:\d+\/#\/trace\/[0-9a-f]{32}/);
    expect(output).toContain("npx respan-tracing view");
    expect(readFileSync(join(cwd, ".respan/spans.jsonl"), "utf8").trim().split("\n")).toHaveLength(22);

    // What `npx respan-tracing view` then shows from the same directory.
    const viewer = await startViewer({ port: 0, dataDir: join(cwd, ".respan") });
    onCleanup(() => viewer.close());
    const { traces } = (await (await fetch(`${viewer.url}/api/traces`)).json()) as { traces: Array<{ rootName: string; spanCount: number }> };
    expect(traces).toMatchObject([{ rootName: "joke_and_audience_reaction.workflow", spanCount: 22 }]);
  });

  it("RESPAN_VIEWER=off prints the tree only", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "respan-start-"));
    onCleanup(() => rmSync(cwd, { recursive: true, force: true }));
    const script = fileURLToPath(new URL("../../examples/node-tutorial/run.mjs", import.meta.url));
    const { code, output } = await runProcess(process.execPath, [script], { cwd, env: { PATH: process.env.PATH ?? "", RESPAN_VIEWER: "off" }, inheritEnv: false, timeoutMs: 60_000 });
    expect(code, output).toBe(0);
    expect(output).toContain("the spans were printed above only");
    expect(output).not.toContain("waterfall");
  });
});
