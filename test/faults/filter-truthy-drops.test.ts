/**
 * SPEC §5: a processor's `filter` selects spans. span-router.ts passes() accepts only
 * `filter(span) === true`; any other truthy value — what ordinary JavaScript filters return
 * (`span.attributes["user.tier"]`, `s.name.includes("x") && 1`, a regex match array) — silently
 * drops EVERY span for that processor, with no log line. Array.prototype.filter, OTel samplers'
 * callers and the Python SDK's `if filter(span)` all use truthiness.
 */
import { describe, expect, it } from "vitest";
import { RespanTelemetry, task } from "../../src/runtime/node.js";
import { onCleanup } from "../helpers/setup.js";
import { memoryExporter } from "./memory-exporter.js";

describe("addProcessor filter returning a truthy non-boolean", () => {
  it("the span goes to that processor", async () => {
    const telemetry = new RespanTelemetry({ env: {} });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    const audit = memoryExporter();
    telemetry.addProcessor({ exporter: audit, filter: ((span) => span.name.match(/^checkout/)) as never });
    task({ name: "checkout" }, () => 1)();
    await telemetry.flush();
    expect(audit.names()).toEqual(["checkout.task"]);
  });
});
