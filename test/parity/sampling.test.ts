/**
 * The Python README's "Sampling (Rate Limiting Spans)" (example #36): `sample_rate` is
 * `sampleRate`, checked per span when it ends, not inherited by children.
 */
import { describe, expect, it } from "vitest";
import { task, withTask, withWorkflow, workflow } from "../../src/runtime/node.js";
import { tracedWithReceiver } from "../helpers/setup.js";
import { MemoryExporter } from "./parity-helpers.js";

/** Calls per function: enough that each count lands far inside its bounds (see below). */
const CALLS = 2000;

describe("Sampling (Python README)", () => {
  it("#36 Sampling (Rate Limiting Spans): no rate exports all, 0.01 about 1 %, 0.1 about 10 %; children do not inherit it", async () => {
    const { telemetry } = await tracedWithReceiver({ appName: "my-app" });
    const dogfood = new MemoryExporter();
    // Unbatched so that 6,000 spans made in one synchronous loop never meet the queue's bound.
    telemetry.addProcessor({ exporter: dogfood, name: "dogfood", isBatchingEnabled: false });
    const handleWebhook = workflow({ name: "webhook_handler", processors: "dogfood" }, () => undefined);
    const ingestLog = workflow({ name: "log_ingestion", processors: "dogfood", sampleRate: 0.01 }, () => undefined);
    const deductCredits = task({ name: "credit_deduction", processors: "dogfood", sampleRate: 0.1 }, () => undefined);
    for (let i = 0; i < CALLS; i++) {
      handleWebhook();
      ingestLog();
      deductCredits();
    }
    await telemetry.flush();
    const count = (name: string) => dogfood.names.filter((n) => n === name).length;
    expect(count("webhook_handler.workflow")).toBe(CALLS);
    // Bounds at least 4.4 standard deviations from the expected count: a spurious failure is below 1 in 50,000.
    expect(count("log_ingestion.workflow")).toBeGreaterThanOrEqual(1); // expected 20, sd 4.4
    expect(count("log_ingestion.workflow")).toBeLessThanOrEqual(45);
    expect(count("credit_deduction.task")).toBeGreaterThanOrEqual(140); // expected 200, sd 13.4
    expect(count("credit_deduction.task")).toBeLessThanOrEqual(260);

    // sample_rate=0.0 exports nothing, and a child sets its own rate (none: always exported).
    dogfood.spans.length = 0;
    withWorkflow({ name: "disabled", processors: "dogfood", sampleRate: 0 }, () => withTask({ name: "child" }, () => undefined));
    await telemetry.flush();
    expect(dogfood.names).toEqual(["child.task"]);
  });
});
