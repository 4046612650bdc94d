/**
 * Tracking streams for abandonment must not keep them alive: 1,000 wrapped streams and 1,000
 * wrapped generators dropped unread, streams read to the end and dropped, LLM Streams both ways,
 * and hostile results (a Proxy that throws on every trap, a frozen client-like Stream, an iterable
 * whose iterator method throws, one source returned twice) are all collected; every span ends
 * exactly once, without OpenTelemetry's "ended twice" diagnostics; and a spanPostprocessCallback
 * that throws as the collector ends a span reaches the app as nothing uncaught.
 * A real Node process with --expose-gc, the built package.
 */
import { describe, expect, it } from "vitest";
import { runGcFixture } from "../helpers/gc-fixture.js";

interface Report {
  alive: Record<string, number>;
  counts: Record<string, number>;
  postprocessCalls: number;
  faults: string[];
  diagnostics: string[];
}

describe("streams dropped in bulk, and hostile ones", () => {
  it("are collected, and every span ends once with nothing uncaught", async () => {
    const { code, output, report: readReport } = await runGcFixture<Report>("abandoned-streams-leaks.mjs");
    expect(code, output).toBe(0);
    const report = readReport();

    for (const [name, alive] of Object.entries(report.alive)) expect(alive, `${name} still alive`).toBe(0);
    expect(report.counts).toEqual({
      "bulk_stream.task (abandoned)": 1000,
      "bulk_generator.task (abandoned)": 1000,
      "read_stream.task": 100,
      "read_generator.task": 100,
      "openai.chat": 10,
      "openai.chat (abandoned)": 10,
      "hostile_proxy.task": 1,
      "frozen_stream.task": 1,
      "broken_iterable.task (abandoned)": 1,
      "same_source.task (abandoned)": 2,
    });
    expect(report.postprocessCalls).toBe(2225);
    expect(report.faults).toEqual([]);
    expect(report.diagnostics).toEqual([]);
  });
});
