/**
 * Two headline examples of the Python SDK's README (issue 13): `@kai.task(...)` bound to a
 * telemetry instance, and `RespanSpanExporter` as a second Respan destination.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { RespanSpanExporter, RespanTelemetry, withTask } from "../../src/runtime/node.js";
import { spanNamed, startOtlpReceiver } from "../helpers/otlp-receiver.js";
import { onCleanup, tracedWithReceiver } from "../helpers/setup.js";

const AGENT_SOURCE = `
const { kai, createJoke } = globalThis.__respanParity;
export class JokeAgent {
  @kai.workflow({ name: "joke_workflow" })
  async run() { return createJoke("pirates"); }
  @kai.tool("lookup")
  lookup(q) { return q.length; }
}
`;

async function compileAgent(kai: RespanTelemetry, createJoke: unknown): Promise<{ JokeAgent: new () => { run(): Promise<string>; lookup(q: string): number } }> {
  (globalThis as Record<string, unknown>).__respanParity = { kai, createJoke };
  const { outputText } = ts.transpileModule(AGENT_SOURCE, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
  const file = join(mkdtempSync(join(tmpdir(), "respan-parity-")), "agent.mjs");
  writeFileSync(file, outputText);
  return import(pathToFileURL(file).href);
}

describe("telemetry.task / workflow / agent / tool (Python: @kai.task)", () => {
  it("wrappers and decorators of an instance record on that instance, even when another one is newer", async () => {
    const { telemetry: kai, receiver: kaiReceiver } = await tracedWithReceiver({ appName: "kai" });
    const createJoke = kai.task({ name: "joke_creation" }, async (topic: string) => `joke about ${topic}`);
    // Decorators, compiled by the real TypeScript compiler (vitest's transform leaves them to Node 20).
    const { JokeAgent } = await compileAgent(kai, createJoke);
    const planner = kai.agent({ name: "planner" }, () => "plan");
    // A newer instance exporting elsewhere: the free task() would now use it, kai.task must not.
    const { receiver: otherReceiver } = await tracedWithReceiver({ appName: "other" });

    expect(await new JokeAgent().run()).toBe("joke about pirates");
    expect(new JokeAgent().lookup("abc")).toBe(3);
    expect(planner()).toBe("plan");
    await kai.flush();
    const spans = await kaiReceiver.waitForSpans(4);
    expect(spans.map((s) => s.name).sort()).toEqual(["joke_creation.task", "joke_workflow.workflow", "lookup.tool", "planner.agent"]);
    expect(spanNamed(spans, "joke_creation.task").parentSpanId).toBe(spanNamed(spans, "joke_workflow.workflow").spanId);
    expect(spans.every((s) => s.resource["service.name"] === "kai")).toBe(true);
    expect(otherReceiver.spans).toEqual([]);
  });
});

describe("RespanSpanExporter (Python: addProcessor(exporter=RespanSpanExporter(endpoint, api_key), name=…))", () => {
  it("sends spans routed to it to a second Respan destination with its own key; the default one gets the rest", async () => {
    const production = await startOtlpReceiver();
    onCleanup(() => production.close());
    const { telemetry, receiver } = await tracedWithReceiver({ apiKey: "default-key-1234" });
    // `endpoint` as in Python: a base URL with or without /api.
    telemetry.addProcessor({ exporter: new RespanSpanExporter({ endpoint: production.url, apiKey: "production-key-5678" }), name: "production" });
    withTask({ name: "to_production", processors: "production" }, () => 1);
    withTask({ name: "to_default" }, () => 2);
    await telemetry.flush();
    const [prod] = await production.waitForSpans(1);
    const [dflt] = await receiver.waitForSpans(1);
    expect(prod!.name).toBe("to_production.task");
    expect(dflt!.name).toBe("to_default.task");
    expect(production.requests[0]!.path).toBe("/api/v2/traces");
    expect(production.requests[0]!.headers.authorization).toBe("Bearer production-key-5678");
  });

  it("takes an endpoint ending in /api, or a full exportUrl, and ignores the default's RESPAN_* variables", async () => {
    const target = await startOtlpReceiver();
    onCleanup(() => target.close());
    const telemetry = new RespanTelemetry({ env: {} });
    onCleanup(() => telemetry.shutdown());
    telemetry.addProcessor({ exporter: new RespanSpanExporter({ endpoint: `${target.url}/api/`, apiKey: "k-111111" }), name: "a" });
    telemetry.addProcessor({ exporter: new RespanSpanExporter({ exportUrl: `${target.url}/collector/v1/traces` }), name: "b" });
    withTask({ name: "both", processors: ["a", "b"] }, () => 1);
    await telemetry.flush();
    await target.waitForSpans(2);
    expect(target.requests.map((r) => r.path).sort()).toEqual(["/api/v2/traces", "/collector/v1/traces"]);
    expect(target.requests.find((r) => r.path === "/collector/v1/traces")!.headers.authorization).toBeUndefined();
  });
});
