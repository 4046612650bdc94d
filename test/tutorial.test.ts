/** `npm start`'s tutorial, run as a user runs it, exporting to the loopback receiver. */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { spanNamed, startOtlpReceiver } from "./helpers/otlp-receiver.js";
import { onCleanup } from "./helpers/setup.js";
import { TUTORIAL_PARENTS } from "../e2e/conformance/tutorial-tree.js";
import { runProcess } from "../e2e/harness/run-process.js";


/** The LLM calls the tutorial makes, by the task that makes them. */
const LLM_SPANS_BY_TASK: Record<string, string[]> = {
  "joke_creation.task": ["openai.chat"],
  "pirate_joke_translation.task": ["openai.chat"],
  "signature_generation.task": ["openai.chat", "openai.embeddings"],
  "audience_laughs.task": ["anthropic.completion"],
  "audience_applaud.task": ["openai.chat"],
  "ask_for_comments.task": ["openai.responses"],
  "read_joke_comments.task": ["anthropic.completion"],
};

describe("examples/node-tutorial (npm start)", () => {
  it("prints the trace tree and exports the 14 wrapper spans correctly nested in one trace", async () => {
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    const script = fileURLToPath(new URL("../examples/node-tutorial/run.mjs", import.meta.url));
    const { code, output: stdout } = await runProcess(process.execPath, [script], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? "", RESPAN_API_KEY: "tutorial-key-42", RESPAN_BASE_URL: receiver.url },
      inheritEnv: false,
      timeoutMs: 60_000,
    });
    expect(code, stdout).toBe(0);
    const wrappers = receiver.spans.filter((s) => s.attributes["traceloop.span.kind"] !== undefined);
    expect(wrappers.map((s) => s.name).sort()).toEqual(Object.keys(TUTORIAL_PARENTS).sort());
    expect(new Set(wrappers.map((s) => s.traceId)).size).toBe(1);
    for (const [name, parent] of Object.entries(TUTORIAL_PARENTS)) {
      const span = spanNamed(wrappers, name);
      expect(span.parentSpanId, name).toBe(parent ? spanNamed(wrappers, parent).spanId : undefined);
      expect(span.attributes["traceloop.workflow.name"], name).toBeDefined();
    }
    for (const name of Object.keys(TUTORIAL_PARENTS)) expect(stdout).toContain(name);
    // Each LLM call appears once, under the task that made it, with its usage.
    expect(receiver.spans).toHaveLength(14 + 8);
    for (const [task, expected] of Object.entries(LLM_SPANS_BY_TASK)) {
      const parent = spanNamed(wrappers, task);
      const children = receiver.spans.filter((s) => s.parentSpanId === parent.spanId && !s.attributes["traceloop.span.kind"]);
      expect(children.map((s) => s.name).sort(), task).toEqual(expected);
      for (const child of children) expect(child.attributes["gen_ai.usage.input_tokens"], child.name).toBeGreaterThan(0);
    }
    expect(stdout).toMatch(/└─ joke_and_audience_reaction\.workflow/);
    expect(stdout).not.toContain("tutorial-key-42");
  });
});
