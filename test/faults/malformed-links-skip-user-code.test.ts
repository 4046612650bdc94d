/**
 * A wrapper must never throw into user code; at worst the span lacks a link. entity-span.ts
 * collectLinks() guards only a THROWING links() function, then does `[...explicit, ...attached]`
 * and hands the list to tracer.startSpan, outside any try. So a links() function that returns
 * undefined ("no parent job this time"), or an array holding an undefined entry
 * (`links: [maybeParent && new SpanLink(…)]`), makes withTask() throw a TypeError BEFORE the user's
 * function runs: the app's work is skipped. attachSpanLinks([undefined]) is worse: it is accepted,
 * and the NEXT wrapper started in that context throws.
 */
import { describe, expect, it } from "vitest";
import { RespanTelemetry, SpanLink, attachSpanLinks, withTask } from "../../src/runtime/node.js";
import { onCleanup } from "../helpers/setup.js";
import { memoryExporter } from "./memory-exporter.js";

function setup() {
  const exporter = memoryExporter();
  const telemetry = new RespanTelemetry({ customExporter: exporter, env: {} });
  onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
  return { exporter, telemetry };
}

const maybeParent = undefined as SpanLink | undefined;

describe("links that are not SpanLinks never stop the user's function", () => {
  it("a links() function that returns undefined", () => {
    setup();
    expect(withTask({ name: "job", links: () => undefined as unknown as SpanLink[] }, () => "ran")).toBe("ran");
  });

  it("a links array with an undefined entry", () => {
    setup();
    expect(withTask({ name: "job", links: [maybeParent as SpanLink] }, () => "ran")).toBe("ran");
  });

  it("attachSpanLinks([undefined]) does not poison the next wrapper", async () => {
    const { exporter, telemetry } = setup();
    withTask({ name: "outer" }, () => {
      attachSpanLinks([maybeParent as SpanLink]);
      expect(withTask({ name: "next" }, () => "ran")).toBe("ran");
    });
    await telemetry.flush();
    expect(exporter.names().sort()).toEqual(["next.task", "outer.task"]);
  });
});
