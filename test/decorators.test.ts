/**
 * Decorators are compiled by the real TypeScript compiler in both modes (TS 5 standard decorators
 * and experimentalDecorators), then run against the SDK, so the test sees what users' builds emit.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as sdk from "../src/runtime/node.js";
import { spanNamed } from "./helpers/otlp-receiver.js";
import { tracedWithReceiver } from "./helpers/setup.js";

const SOURCE = `
const { task, workflow, agent, tool } = globalThis.__respanSdk;
export class JokeAgent {
  prefix = "Arr";
  @task({ name: "joke_creation" })
  async createJoke(topic) { return this.prefix + ", a joke about " + topic; }
  @agent({})
  plan() { return "plan"; }
  @tool
  lookup(q) { return q.length; }
}
@workflow({ name: "joke_agent", methodName: "run" })
export class JokeAgent2 {
  run(x) { return x + 1; }
}
`;

async function compile(experimentalDecorators: boolean): Promise<Record<string, any>> {
  const { outputText, diagnostics } = ts.transpileModule(SOURCE, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, experimentalDecorators },
    reportDiagnostics: true,
  });
  expect(diagnostics ?? []).toEqual([]);
  const dir = mkdtempSync(join(tmpdir(), "respan-decorators-"));
  const file = join(dir, `agents-${experimentalDecorators ? "legacy" : "standard"}.mjs`);
  writeFileSync(file, outputText);
  return import(pathToFileURL(file).href);
}

describe.each([
  ["TypeScript 5 standard decorators", false],
  ["experimentalDecorators", true],
])("SPEC §3 decorators: %s", (_label, experimental) => {
  it("method and class decorators make spans, keep this, sync stays sync", async () => {
    (globalThis as any).__respanSdk = sdk;
    const { JokeAgent, JokeAgent2 } = await compile(experimental);
    const { telemetry, receiver } = await tracedWithReceiver();
    const jokeAgent = new JokeAgent();
    await expect(jokeAgent.createJoke("parrots")).resolves.toBe("Arr, a joke about parrots");
    expect(jokeAgent.plan()).toBe("plan"); // sync: no Promise introduced
    expect(new JokeAgent2().run(41)).toBe(42);
    expect(jokeAgent.lookup("abc")).toBe(3); // a bare @tool, named after the method
    await telemetry.flush();
    const spans = await receiver.waitForSpans(4);
    expect(spanNamed(spans, "lookup.tool").attributes["traceloop.entity.output"]).toBe("3");
    expect(spanNamed(spans, "joke_creation.task").attributes["traceloop.entity.input"]).toBe('{"args":["parrots"],"kwargs":{}}');
    expect(spanNamed(spans, "plan.agent").attributes["traceloop.entity.output"]).toBe('"plan"');
    expect(spanNamed(spans, "joke_agent.workflow").attributes["traceloop.entity.output"]).toBe("42");
  });

  it("a class decorator without methodName is a clear TypeError", () => {
    (globalThis as any).__respanSdk = sdk;
    const bad = ts.transpileModule(`const { workflow } = globalThis.__respanSdk; @workflow({ name: "x" }) export class A { run() {} }`, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, experimentalDecorators: experimental },
    }).outputText;
    const dir = mkdtempSync(join(tmpdir(), "respan-decorators-"));
    const file = join(dir, "bad.mjs");
    writeFileSync(file, bad);
    return expect(import(pathToFileURL(file).href)).rejects.toThrow(/methodName/);
  });
});

describe("task(fn): a function alone", () => {
  it("wraps it under its own name instead of turning into a decorator", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const createJoke = sdk.task(async function createJoke(topic: string) {
      return `joke about ${topic}`;
    });
    await expect(createJoke("pirates")).resolves.toBe("joke about pirates");
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(span!.name).toBe("createJoke.task");
  });

  it("options with something other than a function to wrap is a clear TypeError", () => {
    expect(() => sdk.task({ name: "x" }, "not a function" as never)).toThrow(/expected a function to wrap, got string/);
  });
});
