/**
 * The local viewer end to end: the packed package's `respan-tracing view` bin receives the
 * tutorial's spans (run.mjs with RESPAN_EXPORT_URL, as the README says), and Chromium shows them
 * as a waterfall with details.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TUTORIAL_PARENTS } from "./conformance/tutorial-tree.js";
import { CHROMIUM } from "./harness/chromium.js";
import { ROOT } from "./harness/consumer.js";
import { runProcess } from "./harness/run-process.js";
import { startViewerProcess, type ViewerProcess } from "./harness/viewer-process.js";

const OUTPUT = fileURLToPath(new URL("./.output/", import.meta.url));
/** 14 wrapper spans and 8 LLM calls (test/tutorial.test.ts). */
const TUTORIAL_SPANS = 22;
const ROOT_NAME = "joke_and_audience_reaction.workflow";

type ApiSpan = { spanId: string; parentSpanId?: string; name: string; attributes: Record<string, unknown> };

describe("local viewer (npx respan-tracing view) in Chromium", () => {
  let dataDir: string;
  let viewer: ViewerProcess;
  let browser: Browser;
  let page: Page;
  let spans: ApiSpan[];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "respan-viewer-e2e-"));
    viewer = await startViewerProcess(dataDir);
    const { code, output } = await runProcess(process.execPath, [join(ROOT, "examples/node-tutorial/run.mjs")], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", RESPAN_EXPORT_URL: `${viewer.url}/v1/traces` },
      inheritEnv: false,
      timeoutMs: 60_000,
    });
    expect(code, output).toBe(0);
    const { traces } = (await (await fetch(`${viewer.url}/api/traces`)).json()) as { traces: Array<{ traceId: string; rootName: string }> };
    expect(traces.map((t) => t.rootName)).toEqual([ROOT_NAME]);
    spans = ((await (await fetch(`${viewer.url}/api/traces/${traces[0]!.traceId}`)).json()) as { spans: ApiSpan[] }).spans;
    expect(spans).toHaveLength(TUTORIAL_SPANS);
    browser = await chromium.launch(CHROMIUM);
    page = await browser.newPage({ viewport: { width: 1480, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await viewer?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists the trace and shows every span as a waterfall, nested by parent", async () => {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${viewer.url}/`);
    const item = page.locator(".trace-item", { hasText: ROOT_NAME });
    await expect.poll(() => item.count()).toBe(1);
    await expect.poll(() => item.innerText()).toContain(`${TUTORIAL_SPANS} spans`);
    await item.click();
    const rows = page.locator(".span-row");
    await expect.poll(() => rows.count()).toBe(TUTORIAL_SPANS);

    const shown = await rows.evaluateAll((elements) =>
      elements.map((row) => ({
        id: row.getAttribute("data-span-id")!,
        parent: row.getAttribute("data-parent-id") || undefined,
        depth: Number(row.getAttribute("data-depth")),
        name: row.querySelector(".span-name")!.textContent!,
        indent: parseFloat(getComputedStyle(row.querySelector(".wf-name")!).paddingLeft),
      })),
    );
    expect(shown.map((r) => r.name).sort()).toEqual(spans.map((s) => s.name).sort());
    const byId = new Map(shown.map((r, index) => [r.id, { ...r, index }]));
    for (const [index, row] of shown.entries()) {
      const parent = row.parent ? byId.get(row.parent) : undefined;
      // A child sits below its parent, one level (and one indentation step) deeper.
      expect(row.depth, row.name).toBe(parent ? parent.depth + 1 : 0);
      if (parent) {
        expect(parent.index, row.name).toBeLessThan(index);
        expect(row.indent, row.name).toBeGreaterThan(parent.indent);
      }
    }
    for (const [name, parentName] of Object.entries(TUTORIAL_PARENTS)) {
      const row = shown.find((r) => r.name === name)!;
      expect(row.parent ? byId.get(row.parent)!.name : undefined, name).toBe(parentName);
    }
    expect(errors).toEqual([]);
  });

  it("shows a task's input and output, and an LLM call's messages and tokens, on click", async () => {
    const task = spans.find((s) => s.name === "joke_creation.task")!;
    await page.locator(".span-row", { hasText: "joke_creation.task" }).click();
    const details = page.locator("#details");
    await expect.poll(() => details.locator("h2").innerText()).toBe("joke_creation.task");
    const output = JSON.parse(String(task.attributes["traceloop.entity.output"]));
    expect(JSON.parse(await details.locator('[data-field="output"]').innerText())).toEqual(output);
    expect(JSON.parse(await details.locator('[data-field="input"]').innerText())).toEqual(JSON.parse(String(task.attributes["traceloop.entity.input"])));
    expect(await details.locator('[data-field="output"]').isVisible()).toBe(true);

    const chat = spans.find((s) => s.name === "openai.chat" && s.parentSpanId === task.spanId)!;
    await page.locator(`.span-row[data-span-id="${chat.spanId}"]`).click();
    await expect.poll(() => details.locator("h2").innerText()).toBe("openai.chat");
    const messages = details.locator(".msg");
    await expect.poll(() => messages.count()).toBe(2);
    expect(await messages.nth(0).innerText()).toContain("Tell me a joke about opentelemetry");
    expect(await messages.nth(1).innerText()).toContain(String(chat.attributes["gen_ai.completion.0.content"]));
    expect(await details.locator(".tokens-box").innerText()).toContain(`${chat.attributes["gen_ai.usage.input_tokens"]}`);

    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, "viewer.png") });
  });
});
