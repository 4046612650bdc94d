/**
 * SPEC §9: "Nothing thrown into user code, no unhandled rejection, ever."
 * `spanPostprocessCallback`, `redact` and a processor's `filter` are typed as synchronous, but
 * TypeScript lets an `async` function be passed where `(span) => void` is expected, and users do
 * (to look something up before tagging a span). span-router.ts runHook()/passes() call them in a
 * try/catch that only sees synchronous throws: the returned Promise is dropped, so its rejection is
 * UNHANDLED — which terminates a Node process under the default --unhandled-rejections=throw.
 * (Measured with the built package: the process dies with "Error: enrichment service down".)
 * A fulfilled async `redact` is mishandled too: redactHook treats the Promise as the new attribute
 * set, so every attribute of every span is deleted.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RespanTelemetry, withTask } from "../../src/runtime/node.js";
import { onCleanup } from "../helpers/setup.js";
import { memoryExporter } from "./memory-exporter.js";

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on("unhandledRejection", onUnhandled);
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
});
afterEach(() => {
  process.off("unhandledRejection", onUnhandled);
  vi.restoreAllMocks();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe("async user hooks never cause an unhandled rejection", () => {
  it("an async spanPostprocessCallback that rejects", async () => {
    const exporter = memoryExporter();
    const telemetry = new RespanTelemetry({
      customExporter: exporter,
      env: {},
      spanPostprocessCallback: async () => {
        throw new Error("enrichment service down");
      },
    });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    withTask({ name: "work" }, () => 1);
    await telemetry.flush();
    await settle();
    expect(unhandled).toEqual([]);
  });

  it("an async redact that rejects", async () => {
    const exporter = memoryExporter();
    const telemetry = new RespanTelemetry({
      customExporter: exporter,
      env: {},
      redact: (async () => {
        throw new Error("redaction service down");
      }) as never,
    });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    withTask({ name: "work" }, () => 1);
    await telemetry.flush();
    await settle();
    expect(unhandled).toEqual([]);
  });

  it("an async filter that rejects", async () => {
    const telemetry = new RespanTelemetry({ env: {} });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    telemetry.addProcessor({
      exporter: memoryExporter(),
      filter: (async () => {
        throw new Error("feature-flag service down");
      }) as never,
    });
    withTask({ name: "work" }, () => 1);
    await telemetry.flush();
    await settle();
    expect(unhandled).toEqual([]);
  });

  it("an async redact that resolves cannot be applied: the span is dropped (fail closed), counted and said once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const exporter = memoryExporter();
    const telemetry = new RespanTelemetry({
      customExporter: exporter,
      env: {},
      redact: (async (attributes: Record<string, unknown>) => ({ ...attributes, "user.email": "[redacted]" })) as never,
    });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    withTask({ name: "work" }, () => 1);
    withTask({ name: "more_work" }, () => 2);
    await telemetry.flush();
    expect(exporter.spans).toEqual([]);
    expect(telemetry.getDeliveryStats().dropped).toBe(2);
    expect(warn.mock.calls.filter(([line]) => String(line).includes("redact returned a Promise"))).toHaveLength(1);
  });

});
