/** `npm start`'s tutorial, run as a user runs it, exporting to the loopback receiver. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { spanNamed, startOtlpReceiver } from "./helpers/otlp-receiver.js";
import { onCleanup } from "./helpers/setup.js";

const EXPECTED_PARENT: Record<string, string | undefined> = {
  "joke_and_audience_reaction.workflow": undefined,
  "pirate_joke_generator.workflow": "joke_and_audience_reaction.workflow",
  "joke_creation.task": "pirate_joke_generator.workflow",
  "store_joke.task": "joke_creation.task",
  "pirate_joke_translation.task": "pirate_joke_generator.workflow",
  "signature_generation.task": "pirate_joke_generator.workflow",
  "audience_reaction.workflow": "joke_and_audience_reaction.workflow",
  "audience_laughs.task": "audience_reaction.workflow",
  "audience_applaud.task": "audience_reaction.workflow",
  "audience_claps.task": "audience_applaud.task",
  "audience_interaction.workflow": "joke_and_audience_reaction.workflow",
  "ask_for_comments.task": "audience_interaction.workflow",
  "read_joke_comments.task": "audience_interaction.workflow",
  "logging_joke.task": "joke_and_audience_reaction.workflow",
};

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
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [script], {
        env: { PATH: process.env.PATH ?? "", RESPAN_API_KEY: "tutorial-key-42", RESPAN_BASE_URL: receiver.url },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (chunk) => (out += chunk));
      child.stderr.on("data", (chunk) => (out += chunk));
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      child.on("error", reject);
      child.on("exit", (exitCode) => {
        clearTimeout(timer);
        resolve({ code: exitCode, stdout: out });
      });
    });
    expect(code, stdout).toBe(0);
    const wrappers = receiver.spans.filter((s) => s.attributes["traceloop.span.kind"] !== undefined);
    expect(wrappers.map((s) => s.name).sort()).toEqual(Object.keys(EXPECTED_PARENT).sort());
    expect(new Set(wrappers.map((s) => s.traceId)).size).toBe(1);
    for (const [name, parent] of Object.entries(EXPECTED_PARENT)) {
      const span = spanNamed(wrappers, name);
      expect(span.parentSpanId, name).toBe(parent ? spanNamed(wrappers, parent).spanId : undefined);
      expect(span.attributes["traceloop.workflow.name"], name).toBeDefined();
    }
    for (const name of Object.keys(EXPECTED_PARENT)) expect(stdout).toContain(name);
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
