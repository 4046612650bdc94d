/**
 * A stream read to its end by something that holds what it hands out, not the tracked object the
 * SDK registered (a pipe, a tee branch, a Response, a Node Readable feeding a slow HTTP client, a
 * separate iterator, nested wrappers, an LLM Stream's toReadableStream()/tee(), the SDKs' stream helpers), with the
 * collector running every few ms throughout: its span must not end early as abandoned (partial
 * output, the rest never recorded). A real Node process with --expose-gc, the built package.
 */
import { describe, expect, it } from "vitest";
import { runGcFixture } from "../helpers/gc-fixture.js";

interface Report {
  results: Record<string, string>;
  spans: Array<{ name: string; abandoned: boolean; output: string; completion: string }>;
}

const WHOLE = "c0 c1 c2 c3 c4 c5 ";

describe("streams read through something else while the collector runs", () => {
  it("are read whole and their spans end as read, never as abandoned", async () => {
    const { code, output, report: readReport } = await runGcFixture<Report>("abandoned-streams-readers.mjs");
    expect(code, output).toBe(0);
    const report = readReport();

    for (const [scenario, result] of Object.entries(report.results)) {
      if (scenario === "httpSlowClient") expect(result, scenario).toBe(String(8 * 256 * 1024));
      else if (/openai|anthropic/i.test(scenario)) expect(result, scenario).toBe("true");
      else expect(result, scenario).toBe(WHOLE);
    }
    expect(report.spans.filter((s) => s.abandoned).map((s) => s.name)).toEqual([]);
    const byName = (name: string) => report.spans.filter((s) => s.name === name);
    for (const name of ["from_web_pipeline", "pipe_to", "pipe_through", "tee_one_branch", "response_text", "for_await_stream", "separate_iterator", "readable_from_iterable", "web_stream_from_iterable", "nested_inner", "nested_stream_inner"]) {
      expect(byName(`${name}.task`).map((s) => s.output), name).toEqual([JSON.stringify(WHOLE)]);
    }
    expect(byName("http_slow_client.task")).toHaveLength(1);
    // Piped without iterating: it ends on the Readable's "end", not by collection.
    expect(byName("node_readable_pipe.task")).toHaveLength(1);
    expect(byName("same_source_first.task").map((s) => s.output)).toEqual([JSON.stringify("c0 c2 c4 ")]);
    expect(byName("same_source_second.task").map((s) => s.output)).toEqual([JSON.stringify("c1 c3 c5 ")]);
    // Nested wrappers: the outer one's source is the inner one's tracked object.
    expect(byName("nested_outer.workflow").map((s) => s.output)).toEqual([JSON.stringify(WHOLE)]);
    expect(byName("nested_stream_outer.workflow").map((s) => s.output)).toEqual([JSON.stringify(WHOLE)]);
    expect(byName("wrapped_openai.task")).toHaveLength(1);
    // Each LLM stream's span carries the whole answer.
    const llmSpans = report.spans.filter((s) => ["openai.chat", "openai.responses", "anthropic.completion"].includes(s.name));
    expect(llmSpans).toHaveLength(9);
    for (const span of llmSpans) expect(span.completion).toContain("Why did the span go to therapy?");
  });
});
