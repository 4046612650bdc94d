// One build per runtime from the same src/ (DESIGN.md). Dependencies stay external: the app's
// bundler (or Node / Deno) resolves them once, so @opentelemetry/api is never loaded twice.
import typescript from "@rollup/plugin-typescript";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";

const external = (id) => /^@opentelemetry\//.test(id) || id.startsWith("node:") || id === "zone.js";

const ts = () => typescript({ tsconfig: "./tsconfig.json", declaration: false, outDir: undefined, noEmitOnError: true });

/** Runtime builds: entry file in src/runtime → dist/<runtime>/index.js (+ extra subpath entries). */
const runtimes = {
  node: { index: "src/runtime/node.ts" },
  deno: { index: "src/runtime/deno.ts" },
  workerd: { index: "src/runtime/workerd.ts" },
  "edge-light": { index: "src/runtime/edge-light.ts" },
  browser: { index: "src/runtime/browser.ts", zone: "src/context/zone.ts" },
};

const esm = (dir) => ({ dir: `dist/${dir}`, format: "es", entryFileNames: "[name].js", chunkFileNames: "chunks/[name]-[hash].js", sourcemap: true });

/**
 * TypeScript's declarations (dist/types, emitted by `tsc` before rollup) serve ESM; a copy in a
 * folder whose package.json says "commonjs" serves `require`, so each resolution mode has types.
 */
const commonJsTypes = {
  name: "commonjs-types",
  writeBundle() {
    cpSync("dist/types", "dist/types-cjs", { recursive: true });
    writeFileSync("dist/types-cjs/package.json", '{ "type": "commonjs" }\n');
    mkdirSync("dist/cjs", { recursive: true });
    writeFileSync("dist/cjs/package.json", '{ "type": "commonjs" }\n');
  },
};

export default [
  ...Object.entries(runtimes).map(([name, input]) => ({ input, external, plugins: [ts()], output: esm(name) })),
  {
    input: runtimes.node,
    external,
    plugins: [ts(), commonJsTypes],
    output: { dir: "dist/cjs", format: "cjs", entryFileNames: "[name].js", chunkFileNames: "chunks/[name]-[hash].js", sourcemap: true },
  },
];
