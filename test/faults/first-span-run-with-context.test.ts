/**
 * Lazy registration of the global context manager (src/core/globals.ts): it is registered only
 * when our provider starts its first span (globalsClaim.onStart). Until then OpenTelemetry's
 * context API runs on its no-op manager, so a `context.with(ctx, fn)` entered BEFORE the first
 * span is silently ignored. The standard way to continue an incoming trace in a plain Node server
 * (extract the traceparent, then `context.with(extracted, () => withWorkflow(...))`, or our own
 * `getClient().runWithContext(ctx, ...)`) therefore loses its parent on the process's first
 * request — i.e. on every cold start of a serverless function. Before the change the globals were
 * registered at construction and this worked.
 */
import { ROOT_CONTEXT, TraceFlags, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { RespanTelemetry, getClient, withWorkflow } from "../../src/runtime/node.js";
import { onCleanup } from "../helpers/setup.js";
import { memoryExporter } from "./memory-exporter.js";

const REMOTE = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: TraceFlags.SAMPLED, isRemote: true };

describe("the first span of a process, entered through context.with", () => {
  it("getClient().runWithContext(ctx, ...) before any span started", async () => {
    const exporter = memoryExporter();
    const telemetry = new RespanTelemetry({ customExporter: exporter, env: {} });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    const incoming = trace.setSpanContext(ROOT_CONTEXT, REMOTE);
    await getClient().runWithContext(incoming, () => withWorkflow({ name: "job" }, async () => "ok"));
    await telemetry.flush();
    const span = exporter.spans.find((s) => s.name === "job.workflow")!;
    expect(span.spanContext().traceId).toBe(REMOTE.traceId);
  });
});
