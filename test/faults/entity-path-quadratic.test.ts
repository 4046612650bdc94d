/**
 * `traceloop.entity.path` is the dotted list of every enclosing entity name (entity-span.ts:
 * `path: [...scope.path, name]` and `parent.path.join(".")`), never bounded. For N nested wrappers
 * (an agent loop written recursively, a recursive tree/file summariser) each span carries an O(N)
 * string and each scope an O(N) array: O(N²) memory and export volume. Measured: 4,000 nested
 * "agent_step" tasks → 88 MB of path text exported and ~195 MB of heap; 8,000 → 352 MB and ~760 MB
 * (plain async recursion of that depth costs a few MB). Every other captured string is capped at
 * MAX_STRING_CHARS (32 KiB); this one should be too (e.g. keep the first and last few names with
 * an elision marker, and store the path as one string instead of copying an array per level).
 */
import { describe, expect, it } from "vitest";
import { MAX_STRING_CHARS } from "../../src/core/safe-json.js";
import { RespanTelemetry, withTask } from "../../src/runtime/node.js";
import { onCleanup } from "../helpers/setup.js";
import { memoryExporter } from "./memory-exporter.js";

describe("deep nesting", () => {
  it("traceloop.entity.path stays bounded at 4,000 nested wrappers", async () => {
    const exporter = memoryExporter();
    const telemetry = new RespanTelemetry({ customExporter: exporter, env: {}, maxQueueSize: 10_000 });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    const step = async (n: number): Promise<number> => {
      if (n === 0) return 0;
      await null;
      return withTask({ name: "agent_step" }, async () => {
        await null;
        return step(n - 1);
      });
    };
    await step(4000);
    await telemetry.flush();
    expect(exporter.spans).toHaveLength(4000);
    const lengths = exporter.spans.map((s) => String(s.attributes["traceloop.entity.path"] ?? "").length);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(MAX_STRING_CHARS + 64);
  });
});
