/**
 * A span that never ends is never exported. shutdown() says how many are still open, so a stream
 * nobody read (or a promise that never settles) is not lost quietly; ended ones are not counted.
 */
import { describe, expect, it, vi } from "vitest";
import { RespanTelemetry, withTask } from "../src/runtime/node.js";
import { memoryExporter } from "./faults/memory-exporter.js";

describe("open spans at shutdown", () => {
  it("shutdown() warns with the number of spans started and not ended; none when all ended", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const exporter = memoryExporter();
    const telemetry = new RespanTelemetry({ customExporter: exporter, env: {} });
    withTask({ name: "finished" }, () => "done");
    const stream = withTask({ name: "never_read" }, () => new ReadableStream({ pull: () => new Promise(() => undefined) }));
    void withTask({ name: "never_settles" }, () => new Promise(() => undefined));
    await telemetry.shutdown({ timeoutMs: 1000 });
    const messages = warn.mock.calls.map((call) => call.join(" "));
    expect(messages.filter((m) => m.includes("still open at"))).toEqual([expect.stringContaining("2 span(s) still open at shutdown() are not exported")]);
    expect(exporter.spans.map((s) => s.name)).toEqual(["finished.task"]);
    expect(stream).toBeInstanceOf(ReadableStream);

    warn.mockClear();
    const cleanExporter = memoryExporter();
    const clean = new RespanTelemetry({ customExporter: cleanExporter, env: {} });
    withTask({ name: "finished" }, () => "done");
    await clean.shutdown({ timeoutMs: 1000 });
    expect(cleanExporter.spans.map((s) => s.name)).toEqual(["finished.task"]);
    expect(warn.mock.calls.map((call) => call.join(" ")).filter((m) => m.includes("still open at"))).toEqual([]);
    warn.mockRestore();
  });
});
