/**
 * A stream returned through a wrapper or an LLM client that nobody reads to its end, cancels or
 * keeps: its span used to stay open for good (lost, counted only at exit). It now ends when the
 * runtime collects the stream, at the stream's last read, marked respan.stream.abandoned. And a
 * stream still being read (a for-await holds only its iterator) is never taken for abandoned.
 * A real Node process with --expose-gc, running the built package.
 */
import { describe, expect, it } from "vitest";
import { runGcFixture } from "../helpers/gc-fixture.js";

interface Report {
  iterated: string[];
  llmChunks: number;
  collectedAfter: number;
  lastReads: Record<string, number>;
  spans: Array<{ name: string; abandoned: boolean; output?: string; end: number; completion?: string }>;
}

describe("streams collected unread", () => {
  it("end their spans at the last read; streams still being read through collections are untouched", async () => {
    const { code, output, report: readReport } = await runGcFixture<Report>("abandoned-streams.mjs");
    expect(code, output).toBe(0);
    const report = readReport();

    const abandoned = report.spans.filter((s) => s.abandoned);
    expect(abandoned.map((s) => s.name).sort()).toEqual(["never_iterated.task", "openai.chat", "read_once.task"]);
    for (const span of abandoned) {
      // Ended at its last read (within the mock's answer time), not when it was collected, which
      // came after a 300 ms pause.
      expect(span.end).toBeGreaterThanOrEqual(report.lastReads[span.name]! - 50);
      expect(report.collectedAfter - span.end).toBeGreaterThan(250);
    }
    // What was read (and what the stream had already pulled) is the output.
    expect(abandoned.find((s) => s.name === "read_once.task")?.output).toBe(JSON.stringify("first second"));
    expect(abandoned.find((s) => s.name === "never_iterated.task")?.output).toBe(JSON.stringify("[stream of 0 chunk(s)]"));

    // Read through collections: whole, and not abandoned.
    expect(report.iterated).toEqual(["c0 ", "c1 ", "c2 ", "c3 "]);
    expect(report.llmChunks).toBeGreaterThan(1);
    const read = report.spans.filter((s) => !s.abandoned);
    expect(read.map((s) => s.name).sort()).toEqual(["iterated_while_collecting.task", "openai.chat", "reader_while_collecting.task"]);
    expect(read.find((s) => s.name === "iterated_while_collecting.task")?.output).toBe(JSON.stringify("c0 c1 c2 c3 "));
    expect(read.find((s) => s.name === "openai.chat")?.completion).toContain("tell me");
  });
});
