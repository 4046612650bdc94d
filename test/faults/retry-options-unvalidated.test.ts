/**
 * `retry` is merged with `{ ...DEFAULT_RETRY_POLICY, ...options.retry }` (respan-exporter.ts) and
 * never validated (unlike timeoutMs, see deadline.ts timeoutOrDefault).
 *  - `deadlineMs: undefined` (an optional config value that is unset) overrides the default with
 *    undefined: maxExportMs = undefined + 15000 = NaN, the queue's export timer fires at once, so
 *    flush() resolves BEFORE the request is answered and every batch is counted failed (the log says
 *    "did not answer within NaN ms"). A Worker's waitUntil(flush()) or a CLI's `await flush();
 *    process.exit()` then loses the spans.
 *  - `maxAttempts: 0` (read as "no retries") or NaN: sendWithRetries makes zero attempts; nothing
 *    is ever sent, and the log blames the network ("network error "unknown" after 0 attempt(s)").
 */
import { describe, expect, it, vi } from "vitest";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { RespanTelemetry, withTask } from "../../src/runtime/node.js";
import { onCleanup, tracedWithReceiver } from "../helpers/setup.js";

describe("retry options that are missing or out of range fall back to sane values", () => {
  it("deadlineMs: undefined — flush() resolves only after the endpoint answered, and the span counts as exported", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    // A slow but healthy endpoint: answers 200 after 300 ms.
    const received: number[] = [];
    const slow = createServer((request, response) => {
      request.resume();
      request.on("end", () => setTimeout(() => (received.push(Date.now()), response.end("{}")), 300));
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    onCleanup(() => new Promise<void>((resolve) => (slow.closeAllConnections(), slow.close(() => resolve()))));
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    const telemetry = new RespanTelemetry({ apiKey: "test-key-123456", baseUrl: url, env: {}, retry: { maxAttempts: 3, deadlineMs: undefined } });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 2000 }));
    withTask({ name: "slow_endpoint" }, () => 1);
    await telemetry.flush();
    expect(received, "flush() resolved before the endpoint answered").toHaveLength(1);
    expect(telemetry.getDeliveryStats()).toMatchObject({ exported: 1, failed: 0, queued: 0 });
    error.mockRestore();
  });

  it.each([0, Number.NaN])("maxAttempts: %s — the span is still sent at least once", async (maxAttempts) => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { telemetry, receiver } = await tracedWithReceiver({ retry: { maxAttempts } });
    withTask({ name: "once" }, () => 1);
    await telemetry.flush({ timeoutMs: 5000 });
    expect(receiver.spans.map((s) => s.name)).toEqual(["once.task"]);
    error.mockRestore();
  });
});
