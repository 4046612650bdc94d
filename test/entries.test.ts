/** Every runtime build exports the same names (DESIGN.md), so code moves between runtimes unchanged. */
import { describe, expect, it } from "vitest";

const builds = ["node", "deno", "workerd", "edge-light", "browser"] as const;

describe("package entries", () => {
  it("every runtime build exports exactly the same names", async () => {
    const names: Record<string, string[]> = {};
    for (const build of builds) names[build] = Object.keys(await import(`../dist/${build}/index.js`)).sort();
    const cjs = Object.keys(await import("../dist/cjs/index.js")).filter((n) => n !== "default" && n !== "module.exports").sort();
    for (const build of builds) expect(names[build], build).toEqual(names.node);
    expect(cjs).toEqual(names.node);
    expect(names.node).toEqual(expect.arrayContaining(["RespanTelemetry", "withWorkflow", "getClient", "SpanBuffer", "SpanLink", "createRespanSpanProcessor", "serializeSpans"]));
  });
});
