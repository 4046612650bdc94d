/**
 * Entity paths are shared between calls (no path array or joined string per traced call), within
 * bounds: a name made per call (an id in it) must not grow a cache without end.
 */
import { describe, expect, it } from "vitest";
import { appendToPath, ROOT_PATH, type EntityPath } from "../src/core/entity-path.js";

const fresh = (): EntityPath => ({ names: [], text: "" });

describe("entity paths", () => {
  it("the same nesting gives the same path object, with its dotted text", () => {
    const root = fresh();
    const workflow = appendToPath(root, "plan");
    const task = appendToPath(workflow, "search");
    expect(appendToPath(appendToPath(root, "plan"), "search")).toBe(task);
    expect(task.names).toEqual(["plan", "search"]);
    expect(task.text).toBe("plan.search");
    expect(appendToPath(ROOT_PATH, "a").text).toBe("a");
  });

  it("caches at most 64 names under one path; past that, paths are still right but not kept", () => {
    const root = fresh();
    for (let i = 0; i < 64; i++) expect(appendToPath(root, `n${i}`)).toBe(appendToPath(root, `n${i}`));
    const first = appendToPath(root, "n64");
    const second = appendToPath(root, "n64");
    expect(second).not.toBe(first);
    expect(second.text).toBe("n64");
    expect(root.children?.size).toBe(64);
  });

  it("does not keep a path whose text is over 512 characters", () => {
    const root = fresh();
    const long = "x".repeat(600);
    expect(appendToPath(root, long)).not.toBe(appendToPath(root, long));
    expect(appendToPath(root, long).text).toBe(long);
  });

  it("caches at most 1,000 paths in all (names made per call)", () => {
    let cached = 0;
    for (let i = 0; i < 1100; i++) {
      const parent = fresh();
      const path = appendToPath(parent, `request-${i}`);
      expect(path.text).toBe(`request-${i}`);
      if (parent.children?.size) cached++;
    }
    // Earlier tests in this file (and module state) may have used part of the budget.
    expect(cached).toBeLessThanOrEqual(1000);
    expect(cached).toBeGreaterThan(0);
    const late = fresh();
    appendToPath(late, "after the budget");
    expect(late.children?.size ?? 0).toBe(0);
  });

  it("keeps the outermost and innermost names of a deep nesting (at most 32)", () => {
    let path = fresh();
    for (let i = 0; i < 100; i++) path = appendToPath(path, `level${i}`);
    expect(path.names).toHaveLength(32);
    expect(path.names[0]).toBe("level0");
    expect(path.names[16]).toBe("…");
    expect(path.names.at(-1)).toBe("level99");
  });
});
