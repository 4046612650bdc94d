/**
 * Size budgets of what an app's bundler makes of the BUILT package (dist/; `npm test` builds first):
 * each entry's consumer (scripts/bundle-size.mjs) bundled by esbuild, minified, gzip -9, against its
 * budget. A failure names the size, the budget, and the metafile that shows what grew.
 */
import { describe, expect, it } from "vitest";
// @ts-expect-error -- a plain .mjs script (also `npm run size`), no declarations
import { ENTRIES, METAFILE_DIR, kib, largestInputs, measure, overBudget, table, writeMetafile } from "../scripts/bundle-size.mjs";

interface Measured {
  name: string;
  what: string;
  budgetKiB: number;
  minified: number;
  gzip: number;
  text: string;
  metafile: { inputs: Record<string, unknown>; outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
}

const results: Measured[] = [];
const measured = async (name: string): Promise<Measured> => {
  const known = results.find((r) => r.name === name);
  if (known) return known;
  const fresh = (await measure(ENTRIES.find((e: { name: string }) => e.name === name))) as Measured;
  results.push(fresh);
  return fresh;
};

describe("bundle size budgets (min+gzip, KiB)", () => {
  for (const { name } of ENTRIES as Array<{ name: string }>) {
    it(`${name} stays within its budget`, async () => {
      const result = await measured(name);
      const file = writeMetafile(result);
      const top = largestInputs(result.metafile, 8)
        .map(({ path, bytes }: { path: string; bytes: number }) => `  ${String(bytes).padStart(7)}  ${path}`)
        .join("\n");
      const message =
        `${name} is ${kib(result.gzip)} KiB min+gzip (${result.gzip} B), budget ${result.budgetKiB} KiB.\n` +
        `What grew: open ${file} in https://esbuild.github.io/analyze/, or run \`npm run size -- "${name}"\`. Largest modules now:\n${top}`;
      expect(overBudget(result), message).toBe(false);
    });
  }

  it("a page or Worker that never imports an LLM subpath carries no LLM patch; importing one brings it", async () => {
    // The span names the patches create: in a bundle exactly when the patch code is.
    const hasPatch = (text: string) => text.includes("openai.chat") || text.includes("anthropic.completion");
    for (const name of ["browser", "workers", "edge"]) expect(hasPatch((await measured(name)).text), `${name} carries an LLM patch`).toBe(false);
    expect(hasPatch((await measured("browser + openai")).text)).toBe(true);
    // Node keeps zero-config discovery, so the patches are always there.
    expect(hasPatch((await measured("node")).text)).toBe(true);
  });

  it("the local viewer is never part of a runtime build", async () => {
    for (const { name } of ENTRIES as Array<{ name: string }>) {
      const inputs = Object.keys((await measured(name)).metafile.inputs);
      expect(inputs.filter((path) => path.includes("viewer")), name).toEqual([]);
    }
  });

  it("prints the table", () => {
    // Visible in the test output (and `npm run size`), so a size change shows up in review.
    console.log(`${table(results)}\nmetafiles: ${METAFILE_DIR}`);
    expect(results.length).toBe(ENTRIES.length);
  });
});
