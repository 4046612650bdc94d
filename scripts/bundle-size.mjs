#!/usr/bin/env node
/**
 * Bundle sizes of the BUILT package (dist/, so run `npm run build` first), as an app's bundler
 * would produce them: a tiny consumer per entry, bundled by esbuild with the runtime's export
 * conditions, minified and tree-shaken, then gzipped at level 9. @opentelemetry/api counts: it is a
 * peer dependency, but the app ships it because of us.
 *
 *   node scripts/bundle-size.mjs            the table (npm run size builds first, then runs this)
 *   node scripts/bundle-size.mjs browser    also the 25 largest modules of that bundle
 *
 * Each bundle's esbuild metafile is written to node_modules/.cache/respan-bundle-size/<entry>.json:
 * load it in https://esbuild.github.io/analyze/ to see what grew. test/bundle-size.test.ts fails
 * when an entry is over its budget.
 */
import { build } from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
export const METAFILE_DIR = `${ROOT}node_modules/.cache/respan-bundle-size/`;
const KIB = 1024;

/** The Worker both Workers entries bundle. */
const WORKERS_CODE = `import { withTask } from "respan-tracing";
import { instrumentWorker } from "respan-tracing/workers";
export default instrumentWorker({ fetch: (request) => withTask({ name: "answer" }, () => new Response(request.url)) }, () => ({ appName: "worker" }));`;

/**
 * The consumers. Budgets are KiB (1024 B) of min+gzip, the unit issue 11 measured in. Each is what
 * the entry measured when the budget was set (2026-12-02, after our own OTLP/JSON writer replaced
 * @opentelemetry/otlp-transformer) plus ~0.3 KiB headroom, so growth is a decision rather than a
 * drift. Raised since by decision: the adversarial review's safe-JSON fixes (+~0.2 KiB, bounded
 * output and nesting) and the warning for spans still open at exit or shutdown (+~0.1 KiB); the
 * second review's fixes (+0.2 KiB: a call's input never throws under a polluted prototype, and a
 * browser batch split into several requests counts what was delivered); +0.2-0.4 KiB (later on 2026-12-02)
 * for spans of streams collected unread, which now end instead of staying open for good
 * (when-collected.ts), each budget again ~0.15 KiB above its entry. `targetKiB` is issue 11's goal
 * where it is not reached yet (shown in the table): tighten the budget toward it as code leaves
 * the bundle.
 *
 * Conditions: browsers as Vite, webpack and esbuild's own defaults resolve ("module" included;
 * without it esbuild takes @opentelemetry/api's CommonJS build, which does not tree-shake). Workers
 * as wrangler bundles (["workerd", "worker", "browser"], no "module": there the CommonJS api is what
 * users get, unless they alias it to its ES build: the "workers (ES api alias)" entry). Edge as
 * Next's edge compiler picks our "edge-light" build. Node with esbuild's Node defaults, which pick
 * OpenTelemetry's CommonJS builds (no tree-shaking): the size of a bundled Node app (e.g. a
 * Lambda); most Node apps do not bundle at all.
 */

export const ENTRIES = [
  {
    name: "browser",
    what: "RespanTelemetry + workflow + task + getClient",
    budgetKiB: 26.9,
    targetKiB: 21,
    options: { platform: "browser", conditions: ["browser", "module"] },
    code: `import { RespanTelemetry, workflow, task, getClient } from "respan-tracing";
new RespanTelemetry({ appName: "widget", exportUrl: "/api/respan-traces" });
const answer = task({ name: "answer" }, async (q) => { getClient().updateCurrentSpan({ attributes: { q } }); return q; });
export const run = workflow({ name: "turn" }, (q) => answer(q));`,
  },
  {
    name: "browser + openai",
    what: "the browser consumer + import \"respan-tracing/openai\"",
    budgetKiB: 29.6,
    options: { platform: "browser", conditions: ["browser", "module"] },
    code: `import "respan-tracing/openai";
import { RespanTelemetry, workflow, task, getClient } from "respan-tracing";
new RespanTelemetry({ appName: "widget", exportUrl: "/api/respan-traces", instrumentModules: { openai: globalThis.OpenAI } });
const answer = task({ name: "answer" }, async (q) => { getClient().updateCurrentSpan({ attributes: { q } }); return q; });
export const run = workflow({ name: "turn" }, (q) => answer(q));`,
  },
  {
    name: "workers",
    what: "instrumentWorker (respan-tracing/workers) + withTask",
    budgetKiB: 34.6,
    targetKiB: 30,
    options: { platform: "browser", conditions: ["workerd", "worker", "browser"], external: ["node:*"] },
    code: WORKERS_CODE,
  },
  {
    // README "Bundle sizes": the app aliases @opentelemetry/api to its ES build in wrangler.toml
    // (wrangler resolves [alias] in an esbuild plugin; esbuild's alias picks the same file), so
    // app and SDK share one tree-shaken copy. Why the workerd build does not inline that copy
    // itself: rollup.config.mjs.
    name: "workers (ES api alias)",
    what: "the workers consumer with wrangler.toml [alias] \"@opentelemetry/api\" → its build/esm/index.js",
    budgetKiB: 30.4,
    options: {
      platform: "browser",
      conditions: ["workerd", "worker", "browser"],
      external: ["node:*"],
      alias: { "@opentelemetry/api": `${ROOT}node_modules/@opentelemetry/api/build/esm/index.js` },
    },
    code: WORKERS_CODE,
  },
  {
    name: "edge",
    what: "a Next.js edge route: withRespan + registerRespan (respan-tracing/next) + withTask",
    budgetKiB: 28.7,
    options: { platform: "browser", conditions: ["edge-light", "module"], external: ["next/*"] },
    code: `import { registerRespan, withRespan } from "respan-tracing/next";
import { withTask } from "respan-tracing";
registerRespan({ appName: "chat" });
export const POST = withRespan((request) => withTask({ name: "answer" }, () => new Response(request.url)));`,
  },
  {
    name: "node",
    what: "the main entry (RespanTelemetry + withWorkflow + withTask + getClient)",
    budgetKiB: 67.8,
    options: { platform: "node" },
    code: `import { RespanTelemetry, withWorkflow, withTask, getClient } from "respan-tracing";
new RespanTelemetry({ appName: "app" });
export const run = () => withWorkflow({ name: "job" }, () => withTask({ name: "step" }, () => getClient().currentContext()));`,
  },
];

/** Bundles one consumer; sizes in bytes, plus the esbuild metafile and the output text. */
export async function measure(entry) {
  const result = await build({
    stdin: { contents: entry.code, resolveDir: ROOT, loader: "js", sourcefile: `${entry.name}-consumer.js` },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: "esm",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "error",
    ...entry.options,
  });
  const bytes = result.outputFiles[0].contents;
  return { ...entry, minified: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, metafile: result.metafile, text: result.outputFiles[0].text };
}

/** The inputs of a bundle, largest first, with the bytes each contributes to the minified output. */
export function largestInputs(metafile, count = 25) {
  const [output] = Object.values(metafile.outputs);
  return Object.entries(output.inputs)
    .map(([path, { bytesInOutput }]) => ({ path, bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}

export function writeMetafile(measured) {
  mkdirSync(METAFILE_DIR, { recursive: true });
  const file = `${METAFILE_DIR}${measured.name.replace(/\W+/g, "-")}.json`;
  writeFileSync(file, JSON.stringify(measured.metafile));
  return file;
}

export const kib = (bytes) => (bytes / KIB).toFixed(1);

export function table(results) {
  const rows = results.map((r) => [
    r.name,
    `${kib(r.minified)} KiB`,
    `${kib(r.gzip)} KiB`,
    `${r.budgetKiB} KiB`,
    overBudget(r) ? "OVER" : "ok",
    r.targetKiB === undefined ? "" : `${r.targetKiB} KiB${r.gzip <= r.targetKiB * KIB ? "" : " (not yet)"}`,
    r.what,
  ]);
  const header = ["entry", "minified", "min+gzip", "budget", "", "issue 11 target", "consumer"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

export const overBudget = (measured) => measured.gzip > measured.budgetKiB * KIB;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const results = [];
  for (const entry of ENTRIES) results.push(await measure(entry));
  console.log(table(results));
  for (const measured of results) writeMetafile(measured);
  console.log(`\nmetafiles: ${METAFILE_DIR} (open one in https://esbuild.github.io/analyze/)`);
  for (const name of process.argv.slice(2)) {
    const measured = results.find((r) => r.name === name);
    if (!measured) throw new Error(`no entry "${name}"; entries: ${ENTRIES.map((e) => e.name).join(", ")}`);
    console.log(`\n${name}: largest modules (minified bytes)`);
    for (const { path, bytes } of largestInputs(measured.metafile)) console.log(`${String(bytes).padStart(7)}  ${path}`);
  }
  if (results.some(overBudget)) process.exitCode = 1;
}
