/**
 * Browsers send a batch in bodies under the 60 KiB keepalive quota (fit-to-size.ts), so one batch
 * can take several requests. When a later request fails after earlier ones were accepted,
 * getDeliveryStats() must count what the endpoint did receive as exported and only the rest as
 * failed: the stats a user reads must agree with what reached Respan.
 */
import { describe, expect, it, vi } from "vitest";
import { startOtlpReceiver } from "./helpers/otlp-receiver.js";
import { onCleanup } from "./helpers/setup.js";

describe("browser build: a batch split into several requests, a later one refused", () => {
  it("counts the spans of the accepted requests as exported and only the refused ones as failed", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { RespanTelemetry } = await import("../src/runtime/browser.js");
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    // The first request is accepted; every later one is refused for good (no retry).
    receiver.respond(({ index }) => (index === 0 ? undefined : { status: 400 }));
    const telemetry = new RespanTelemetry({ exportUrl: `${receiver.url}/api/respan-traces`, env: {} });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    // 8 spans of ~20 KB input each: one batch, ~160 KB, more than two 60 KiB bodies.
    const prompt = "p".repeat(20_000);
    const step = telemetry.task({ name: "step" }, (input: string) => input.length);
    for (let i = 0; i < 8; i++) step(prompt);
    await telemetry.flush({ timeoutMs: 5_000 });
    expect(receiver.requests.length).toBeGreaterThanOrEqual(2);
    const received = receiver.spans.length;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(8);
    expect(telemetry.getDeliveryStats()).toMatchObject({ exported: received, failed: 8 - received, queued: 0 });
    // The error names the spans lost, not the whole batch.
    const line = error.mock.calls.map(([l]) => String(l)).find((l) => l.includes("could not export"));
    expect(line).toContain(`could not export ${8 - received} span(s)`);
  });
});
