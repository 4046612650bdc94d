/**
 * `redact(attributes, span)` is the user's privacy hook ("change spans (or remove attributes) before
 * export", README). Two ways it silently fails OPEN, sending exactly what it was meant to remove:
 *  1. The hook edits the attributes it is given in place and returns nothing (its type is
 *     `Attributes | void`): telemetry.ts redactHook passes a COPY and ignores it when the result is
 *     void, so the deletion never reaches the span.
 *  2. The hook throws on some span: span-router.ts runHook logs "the span is exported as it was"
 *     and exports it unredacted. A failing privacy filter must fail closed (drop the span, or at
 *     least its content), not ship the raw data.
 */
import { describe, expect, it, vi } from "vitest";
import { RespanTelemetry, task } from "../../src/runtime/node.js";
import { onCleanup } from "../helpers/setup.js";
import { memoryExporter } from "./memory-exporter.js";

const EMAIL = "jane.doe@example.com";

describe("redact never lets the data it removes out", () => {
  it("a hook that deletes in place and returns nothing", async () => {
    const exporter = memoryExporter();
    const telemetry = new RespanTelemetry({
      customExporter: exporter,
      env: {},
      redact: (attributes) => {
        delete attributes["traceloop.entity.input"];
      },
    });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    task({ name: "lookup" }, (email: string) => email.length)(EMAIL);
    await telemetry.flush();
    expect(exporter.names()).toEqual(["lookup.task"]);
    expect(JSON.stringify(exporter.spans[0]!.attributes)).not.toContain(EMAIL);
  });

  it("a hook that throws on a span: that span's content is not exported", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const exporter = memoryExporter();
    const telemetry = new RespanTelemetry({
      customExporter: exporter,
      env: {},
      redact: (attributes) => {
        const input = attributes["traceloop.entity.input"] as string;
        // A bug the user did not foresee (e.g. a value that is not a string, an unexpected shape).
        if (input.includes("@")) throw new Error("redactor bug");
        return attributes;
      },
    });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    task({ name: "lookup" }, (email: string) => email.length)(EMAIL);
    await telemetry.flush();
    expect(JSON.stringify(exporter.spans.map((s) => s.attributes))).not.toContain(EMAIL);
    vi.restoreAllMocks();
  });
});
