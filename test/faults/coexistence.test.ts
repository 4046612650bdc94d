/**
 * SPEC §11 Coexistence: RespanTelemetry constructed before or after another OpenTelemetry setup
 * (NodeSDK, @vercel/otel, Sentry with and without its OpenTelemetry setup): theirs records and
 * exports its spans, ours ours, and no registration of theirs fails. Each scenario runs in its own
 * Node process (OpenTelemetry's globals cannot be reset reliably between tests), from source.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReport, runProcess } from "../../e2e/harness/run-process.js";
import { spanNamed, startOtlpReceiver, type ReceivedSpan } from "../helpers/otlp-receiver.js";
import { onCleanup } from "../helpers/setup.js";
import { startSentryReceiver } from "./coexistence-sentry-receiver.js";

interface TheirSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  service?: string;
}

let bundleDir = "";
let scenario = "";

beforeAll(async () => {
  // Inside the repository, so the bundle's external imports resolve from its node_modules.
  bundleDir = mkdtempSync(join(process.cwd(), "node_modules", ".coexistence-"));
  scenario = join(bundleDir, "scenario.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("./coexistence-scenario.ts", import.meta.url))],
    outfile: scenario,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    logLevel: "silent",
  });
});

afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

async function run(tool: string, order: string, env: Record<string, string>) {
  const { code, output } = await runProcess(process.execPath, [scenario], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? "", TOOL: tool, ORDER: order, ...env },
    inheritEnv: false,
    timeoutMs: 60_000,
  });
  expect(code, output).toBe(0);
  return parseReport(output) as unknown as { registrations: Array<{ api: string; ok: boolean }>; theirSpans: TheirSpan[] };
}

/** Our wrapper spans arrived, correctly nested, under our service name, and nothing of theirs. */
function expectOurs(spans: ReceivedSpan[]): { workflow: ReceivedSpan; step: ReceivedSpan } {
  expect(spans.map((s) => s.name).sort()).toEqual(["coexist.workflow", "step.task"]);
  const workflow = spanNamed(spans, "coexist.workflow");
  const step = spanNamed(spans, "step.task");
  expect(workflow.parentSpanId).toBeUndefined();
  expect(step.parentSpanId).toBe(workflow.spanId);
  expect(step.traceId).toBe(workflow.traceId);
  expect(workflow.resource["service.name"]).toBe("our-app");
  return { workflow, step };
}

/** Their own trace (root and child) and their span inside our task, in our trace. */
function expectTheirs(theirs: Array<{ name: string; traceId: string; spanId: string; parentSpanId?: string }>, step: ReceivedSpan): void {
  expect(theirs.map((s) => s.name).sort()).toEqual(["their.child", "their.inside", "their.root"]);
  const byName = (name: string) => theirs.find((s) => s.name === name)!;
  expect(byName("their.child").parentSpanId).toBe(byName("their.root").spanId);
  expect(byName("their.root").traceId).not.toBe(step.traceId);
  // Context flows both ways: their span started inside our task is its child.
  expect(byName("their.inside").traceId).toBe(step.traceId);
  expect(byName("their.inside").parentSpanId).toBe(step.spanId);
}

describe("SPEC §11 coexistence with another OpenTelemetry setup in the same process", () => {
  describe.each(["ours-first", "theirs-first"])("%s", (order) => {
    it.each(["nodesdk", "vercel"])("%s: both record and export; none of its registrations fails", async (tool) => {
      const receiver = await startOtlpReceiver();
      onCleanup(() => receiver.close());
      const report = await run(tool, order, { OUR_BASE_URL: receiver.url });
      expect(report.registrations.filter((r) => r.api === "trace")).toEqual([{ api: "trace", ok: true }]);
      expect(report.registrations.every((r) => r.ok), JSON.stringify(report.registrations)).toBe(true);
      const { step } = expectOurs(receiver.spans);
      expectTheirs(report.theirSpans, step);
      expect(new Set(report.theirSpans.map((s) => s.service))).toEqual(new Set(["their-app"]));
    });

    it.each(["sentry", "sentry-otel"])("%s: Sentry's spans reach its endpoint, ours ours; none of its registrations fails", async (tool) => {
      const receiver = await startOtlpReceiver();
      const sentry = await startSentryReceiver();
      onCleanup(async () => {
        await receiver.close();
        await sentry.close();
      });
      const report = await run(tool, order, { OUR_BASE_URL: receiver.url, SENTRY_DSN: sentry.dsn });
      expect(report.registrations.every((r) => r.ok), JSON.stringify(report.registrations)).toBe(true);
      if (tool === "sentry-otel") {
        // enableOpenTelemetrySetup: Sentry registers its tracer provider and SentryContextManager.
        expect(report.registrations.map((r) => r.api).sort()).toEqual(expect.arrayContaining(["context", "trace"]));
      }
      const { step } = expectOurs(receiver.spans);
      if (tool === "sentry-otel") expectTheirs(sentry.spans, step);
      else {
        // Sentry's default (no OpenTelemetry) keeps its own async context: its trace is its own.
        expect(sentry.spans.map((s) => s.name).sort()).toEqual(["their.child", "their.inside", "their.root"]);
        const byName = (name: string) => sentry.spans.find((s) => s.name === name)!;
        expect(byName("their.child").parentSpanId).toBe(byName("their.root").spanId);
      }
    });
  });
});
