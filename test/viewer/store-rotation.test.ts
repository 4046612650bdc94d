/** The viewer's spans file is bounded on disk: it rotates, and a restart still reads both files. */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ViewerSpan } from "../../src/viewer/otlp-decode.js";
import { PREVIOUS_SPANS_FILE, SPANS_FILE, TraceStore } from "../../src/viewer/store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function span(index: number): ViewerSpan {
  const hex = index.toString(16).padStart(16, "0");
  return {
    traceId: hex.padStart(32, "a"),
    spanId: hex,
    name: `step ${index}`,
    kind: 1,
    startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(index) * 1_000_000n),
    endTimeUnixNano: String(1_700_000_000_000_500_000n + BigInt(index) * 1_000_000n),
    attributes: { padding: "x".repeat(500) },
    events: [],
    links: [],
    status: {},
    resource: {},
    scope: { name: "test" },
  };
}

describe("viewer store rotation", () => {
  it("keeps disk use under twice the bound however many spans arrive, and reloads the newest", async () => {
    const dir = mkdtempSync(join(tmpdir(), "respan-store-"));
    dirs.push(dir);
    const maxFileBytes = 8 * 1024;
    const store = await TraceStore.open(dir, { maxFileBytes });
    for (let index = 0; index < 200; index++) await store.append([span(index)]);

    expect(readdirSync(dir).sort()).toEqual([SPANS_FILE, PREVIOUS_SPANS_FILE].sort());
    const bytes = statSync(join(dir, SPANS_FILE)).size + statSync(join(dir, PREVIOUS_SPANS_FILE)).size;
    expect(bytes).toBeLessThanOrEqual(2 * maxFileBytes);
    expect(statSync(join(dir, SPANS_FILE)).size).toBeLessThanOrEqual(maxFileBytes);

    // A restarted viewer shows what both files hold: the newest spans, in order, none twice.
    const reopened = await TraceStore.open(dir, { maxFileBytes });
    const names = reopened.list().map((trace) => reopened.get(trace.traceId)![0]!.name);
    expect(names[0]).toBe("step 199");
    expect(names.length).toBeGreaterThan(10);
    expect(names.length).toBeLessThan(200);
    expect(new Set(names).size).toBe(names.length);
  });

  it("does not rotate a file that holds a single batch larger than the bound", async () => {
    const dir = mkdtempSync(join(tmpdir(), "respan-store-"));
    dirs.push(dir);
    const store = await TraceStore.open(dir, { maxFileBytes: 100 });
    await store.append([span(1), span(2)]);
    expect(readdirSync(dir)).toEqual([SPANS_FILE]);
    expect(store.list()).toHaveLength(2);
  });
});
