import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUDGET_MARKER, MAX_JSON_CHARS, safeStringify } from "../src/core/safe-json.js";
import { formatInput } from "../src/core/entity-span.js";
import { task } from "../src/runtime/node.js";
import { tracedWithReceiver } from "./helpers/setup.js";

/** A graph where each level points twice at the next: 2^depth paths, depth + 1 objects. */
function sharedLadder(depth: number): object {
  let node: object = { leaf: true };
  for (let i = 0; i < depth; i++) node = { left: node, right: node };
  return node;
}

const hostile = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true }),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fc.string(), tie("value"), { maxKeys: 5 }),
  ),
})).value;

describe("safe JSON is bounded in time and size for any value", () => {
  it("property: any value gives valid JSON of bounded length, without throwing", () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const json = safeStringify(value);
        expect(() => JSON.parse(json)).not.toThrow();
        expect(json.length).toBeLessThanOrEqual(MAX_JSON_CHARS + 64);
      }),
      { numRuns: 300 },
    );
  });

  it("property: cycles and shared references anywhere in a graph are handled", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 60 }), (seeds, edges) => {
        const nodes: Record<string, unknown>[] = seeds.map((seed) => ({ seed }));
        edges.forEach(([from, to], i) => (nodes[from % nodes.length]![`e${i}`] = nodes[to % nodes.length]));
        const json = safeStringify(nodes);
        expect(() => JSON.parse(json)).not.toThrow();
        expect(json.length).toBeLessThanOrEqual(MAX_JSON_CHARS + 64);
      }),
      { numRuns: 200 },
    );
  });

  it("stops walking a shared-reference graph of depth 40 (2^40 paths) once the budget is spent", () => {
    const json = safeStringify(sharedLadder(40));
    expect(json.includes(BUDGET_MARKER)).toBe(true);
    expect(() => JSON.parse(json)).not.toThrow();
    expect(json.length).toBeLessThanOrEqual(MAX_JSON_CHARS + 64);
    // Small shared graphs still print every occurrence in full.
    expect(JSON.parse(safeStringify(sharedLadder(3)))).toEqual({
      left: { left: { left: { leaf: true }, right: { leaf: true } }, right: { left: { leaf: true }, right: { leaf: true } } },
      right: { left: { left: { leaf: true }, right: { leaf: true } }, right: { left: { leaf: true }, right: { leaf: true } } },
    });
  });

  it("a huge flat object, Map and typed array are summarised without copying them whole", () => {
    const wide: Record<string, number> = {};
    for (let i = 0; i < 200_000; i++) wide[`k${i}`] = i;
    const parsed = JSON.parse(safeStringify({ wide, map: new Map([...Array(5000).keys()].map((i) => [i, i])), bytes: new Uint8Array(10_000_000) }));
    expect(Object.keys(parsed.wide).length).toBeLessThanOrEqual(1000);
    expect(Object.keys(parsed.map)).toHaveLength(1000);
    expect(parsed.bytes).toHaveLength(1000);
  });

  it("a revoked Proxy or a throwing getter spoils only its own value", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const parsed = JSON.parse(safeStringify({ ok: 1, proxy, get bad() { throw new Error("no"); } }));
    expect(parsed.ok).toBe(1);
    expect(parsed.proxy).toMatch(/^\[unreadable/);
    expect(parsed.bad).toBe("[unreadable: no]");
  });

  it("a wrapped function taking a depth-24 shared graph records a bounded input and runs", async () => {
    const { telemetry, receiver } = await tracedWithReceiver();
    const result = task({ name: "graph" }, (graph: object) => (graph ? "ran" : "no"))(sharedLadder(24));
    expect(result).toBe("ran");
    await telemetry.flush();
    const [span] = await receiver.waitForSpans(1);
    expect(String(span!.attributes["traceloop.entity.input"]).includes(BUDGET_MARKER)).toBe(true);
    expect(formatInput([sharedLadder(24)]).length).toBeLessThanOrEqual(MAX_JSON_CHARS + 64);
  });
});
