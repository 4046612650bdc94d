/**
 * Entity paths are shared between calls (entity-path.ts). Concurrent, interleaved async nestings
 * must still each see their own `traceloop.entity.path`, deep ones cut as before, and the cache's
 * budget must go to paths that are kept, not to ones thrown away after one call.
 * (Its own file: the cache's budget is module state.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appendToPath, type EntityPath } from "../src/core/entity-path.js";
import { RespanTelemetry, withTask } from "../src/runtime/node.js";
import { memoryExporter } from "./faults/memory-exporter.js";
import { onCleanup } from "./helpers/setup.js";

interface Call {
  name: string;
  awaits: number;
  children: Call[];
}

const call: fc.Arbitrary<Call> = fc.letrec<{ call: Call }>((tie) => ({
  call: fc.record({
    name: fc.constantFrom("plan", "search", "answer", "a.b", ""),
    awaits: fc.nat(3),
    children: fc.oneof({ depthSize: "small", withCrossShrink: true }, fc.constant([]), fc.array(tie("call"), { maxLength: 3 })),
  }),
})).call;

/** What the attribute should be, written independently of entity-path.ts: first 16, "…", last 15. */
function expectedPath(ancestors: string[]): string | undefined {
  if (ancestors.length === 0) return undefined;
  const names = ancestors.length <= 32 ? ancestors : [...ancestors.slice(0, 16), "…", ...ancestors.slice(-15)];
  return names.join(".");
}

describe("shared entity paths", () => {
  it("property: concurrent interleaved nestings (and one 40 deep) each get their own traceloop.entity.path", async () => {
    const exporter = memoryExporter();
    const telemetry = new RespanTelemetry({ customExporter: exporter, env: {}, maxQueueSize: 100_000 });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    let id = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 4 }), fc.nat(45), async (roots, deepLevels) => {
        exporter.spans.length = 0;
        const expected = new Map<string, string | undefined>();
        const run = (node: Call, ancestors: string[]): Promise<unknown> => {
          const version = `v${id++}`;
          // An empty name falls back to the function's name, then the kind.
          const name = node.name || "task";
          expected.set(version, expectedPath(ancestors));
          return withTask({ name: node.name, version }, async () => {
            for (let i = 0; i < node.awaits; i++) await null;
            return Promise.all(node.children.map((child) => run(child, [...ancestors, name])));
          });
        };
        const deep = (level: number, ancestors: string[]): Promise<unknown> => {
          const version = `v${id++}`;
          expected.set(version, expectedPath(ancestors));
          return withTask({ name: `level${level % 7}`, version }, async () => {
            await null;
            if (level < deepLevels) await deep(level + 1, [...ancestors, `level${level % 7}`]);
          });
        };
        await Promise.all([...roots.map((root) => run(root, [])), deep(0, [])]);
        await telemetry.flush();
        expect(exporter.spans).toHaveLength(expected.size);
        for (const span of exporter.spans) {
          expect(span.attributes["traceloop.entity.path"]).toBe(expected.get(String(span.attributes["traceloop.entity.version"])));
        }
      }),
      { numRuns: 40 },
    );
  });

  it("a name made per call one level up does not use up the cache for the paths everything else takes", () => {
    const root: EntityPath = { names: [], text: "" };
    // Past 64 children of root, each request's path is made per call and thrown away: the "search"
    // cached under it must not count against the 1,000 paths kept in all.
    for (let i = 0; i < 2000; i++) appendToPath(appendToPath(root, `request-${i}`), "search");
    const other: EntityPath = { names: [], text: "" };
    const plan = appendToPath(other, "plan");
    expect(appendToPath(other, "plan")).toBe(plan);
    expect(appendToPath(plan, "step")).toBe(appendToPath(appendToPath(other, "plan"), "step"));
  });
});
