/**
 * One deep recursion must not fill the entity-path cache for the rest of the app (paths deeper
 * than 16 names are made per call). Its own file: the cache's budget is module state.
 */
import { describe, expect, it } from "vitest";
import { appendToPath, type EntityPath } from "../src/core/entity-path.js";

describe("entity paths of a deep recursion", () => {
  it("a 5,000-level recursion leaves the cache to the paths everything else takes", () => {
    const root: EntityPath = { names: [], text: "" };
    let path = root;
    for (let i = 0; i < 5000; i++) path = appendToPath(path, "agent_step");
    expect(path.names).toHaveLength(32);
    // Well within the depth the cache keeps, a second recursion shares the first's paths...
    let again = root;
    for (let i = 0; i < 16; i++) again = appendToPath(again, "agent_step");
    let first = root;
    for (let i = 0; i < 16; i++) first = appendToPath(first, "agent_step");
    expect(again).toBe(first);
    // ...deeper ones are made per call...
    expect(appendToPath(first, "agent_step")).not.toBe(appendToPath(first, "agent_step"));
    // ...and 900 other paths can still be kept.
    const app: EntityPath = { names: [], text: "" };
    for (let i = 0; i < 15; i++) {
      const workflow = appendToPath(app, `workflow${i}`);
      for (let j = 0; j < 60; j++) expect(appendToPath(workflow, `task${j}`)).toBe(appendToPath(workflow, `task${j}`));
    }
  });
});
