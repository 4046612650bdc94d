/**
 * Keeps the parity table honest: every ```python example of the Python SDK's README (numbered
 * 1..55 in order) has a test here named "#N <its README heading>: …", or is listed by number in our
 * README's "Differences from the Python SDK" section.
 */
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (relative: string) => readFileSync(new URL(relative, import.meta.url), "utf8");

/** The heading above each ```python block, in order (headings inside code blocks are comments). */
function pythonExamples(markdown: string): string[] {
  const headings: string[] = [];
  let heading = "";
  let inCode = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) {
      if (!inCode && line.startsWith("```python")) headings.push(heading);
      inCode = !inCode;
    } else if (!inCode && /^#{2,6} /.test(line)) {
      heading = line.replace(/^#+ /, "").replace(/[*`"]/g, "").trim();
    }
  }
  return headings;
}

/** "#N title" of every parity test. */
function parityTests(): Map<number, string> {
  const tests = new Map<number, string>();
  for (const file of readdirSync(new URL(".", import.meta.url)).filter((f) => f.endsWith(".test.ts"))) {
    // The title up to its closing quote (or a backslash escape).
    for (const [, , number, title] of read(file).matchAll(/\bit\(\s*(["'`])#(\d+) ((?:(?!\1)[^\\])*)/g)) {
      expect(tests.has(Number(number)), `#${number} is tested twice`).toBe(false);
      tests.set(Number(number), title!);
    }
  }
  return tests;
}

function differencesSection(readme: string): string {
  const start = readme.indexOf("## Differences from the Python SDK");
  expect(start, "README.md has a 'Differences from the Python SDK' section").toBeGreaterThan(-1);
  const next = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, next === -1 ? undefined : next);
}

describe("parity with the Python SDK's README", () => {
  it("every one of its 55 examples has a test named after its heading, or a line under Differences", () => {
    const headings = pythonExamples(read("./python-readme-2.14.md"));
    expect(headings).toHaveLength(55);
    const tests = parityTests();
    const listed = new Set([...differencesSection(read("../../README.md")).matchAll(/#(\d+)\b/g)].map(([, n]) => Number(n)));
    const missing = headings.map((_, i) => i + 1).filter((n) => !tests.has(n) && !listed.has(n));
    expect(missing, "examples with neither a test nor a line under Differences").toEqual([]);
    for (const [number, title] of tests) {
      expect(number, `test #${number} has no Python example`).toBeLessThanOrEqual(headings.length);
      expect(title.startsWith(headings[number - 1]!), `test #${number} "${title}" should start with its heading "${headings[number - 1]}"`).toBe(true);
    }
  });
});
