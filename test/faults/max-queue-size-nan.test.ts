/**
 * `maxQueueSize: NaN` (e.g. `Number(process.env.RESPAN_MAX_QUEUE)` when the variable is unset, or a
 * string like "2k") must not take the app down. Today `Math.max(1, NaN)` is NaN, `splice(0, NaN)`
 * removes nothing, and `while (queue.length > 0) await sendBatch([])` spins forever: the exporter
 * gets an endless stream of EMPTY batches, the span is never sent, and because a well-behaved
 * exporter answers on the microtask queue the whole Node event loop starves — timers, I/O and
 * flush({ timeoutMs }) never run again.
 */
import { ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runProcess } from "../../e2e/harness/run-process.js";
import { RespanTelemetry, withTask } from "../../src/runtime/node.js";
import { onCleanup } from "../helpers/setup.js";

describe("maxQueueSize that is not a number", () => {
  it("NaN: the span is exported in one non-empty batch (no endless empty batches)", async () => {
    const batches: number[] = [];
    // Stops answering after 50 calls, so that the bug shows as a count instead of freezing this test.
    const exporter: SpanExporter = {
      export(batch: ReadableSpan[], done) {
        batches.push(batch.length);
        if (batches.length <= 50) done({ code: ExportResultCode.SUCCESS });
      },
      shutdown: async () => undefined,
    };
    const telemetry = new RespanTelemetry({ customExporter: exporter, env: {}, maxQueueSize: Number(undefined) });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 50 }));
    withTask({ name: "one" }, () => 1);
    await telemetry.flush({ timeoutMs: 1500 });
    expect(batches.filter((n) => n === 0), "empty export batches").toHaveLength(0);
    expect(batches[0]).toBe(1);
  });

  it("NaN in a real process: the app's own timers still run and the process ends", async () => {
    const script = fileURLToPath(new URL("./fixtures/max-queue-nan.mjs", import.meta.url));
    const started = Date.now();
    const { code, output } = await runProcess(process.execPath, [script], { cwd: process.cwd(), timeoutMs: 10_000 });
    expect(output).toContain("APP TIMER FIRED");
    expect(code, output).toBe(0);
    expect(Date.now() - started).toBeLessThan(9_000);
  });
});
