// One build per runtime from the same src/ (DESIGN.md). Dependencies stay external: the app's
// bundler (or Node / Deno) resolves them once, so @opentelemetry/api is never loaded twice.
//
// The workerd build too, though that costs a Worker ~4 KiB min+gzip: wrangler bundles with the
// conditions workerd, worker, browser and not "module", and @opentelemetry/api's exports map gives
// its ES build only under "module" (or "esnext"), so wrangler takes the CommonJS build, which does
// not tree-shake. Bundling the OpenTelemetry packages' ES builds into this build was tried
// (2026-12-02: workers entry 33.7 → 29.8 KiB) and rejected, because an app that imports the API
// itself then has two copies, which share only the global registry
// (Symbol.for("opentelemetry.js.api.1")):
// - a tracer the app takes at module scope, before our first span registers the globals, comes
//   from its copy's fallback provider, which only its copy's setGlobalTracerProvider ever fills: a
//   no-op for good, spans lost without a word (e2e/workers-user-otel-api.e2e.test.ts then fails);
// - the registry accepts registrations from one exact API version, the first registrant's: if the
//   app's copy (e.g. 1.9.0) registers anything first (diag.setLogger, another tool), ours (1.9.1)
//   is refused the context manager and every span of ours is parentless; and a copy ignores a
//   registry made by an older minor version (the API's isCompatible), so an app on 1.10 would see
//   none of ours;
// - such an app ships both copies, more than today.
// The sound saving is the app's: a wrangler.toml [alias] to the API's ES build gives one ES copy
// to the app and to us (README "Bundle sizes"; the e2e test above runs that bundling too).
import typescript from "@rollup/plugin-typescript";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const external = (id) => /^@opentelemetry\//.test(id) || id.startsWith("node:") || id === "zone.js" || id.startsWith("next/");

const ts = () => typescript({ tsconfig: "./tsconfig.json", declaration: false, outDir: undefined, noEmitOnError: true });

/** Runtime builds: entry file in src/runtime → dist/<runtime>/index.js (+ extra subpath entries). */
const relay = "src/integrations/relay.ts";
const next = "src/integrations/next.ts";
const llm = { openai: "src/integrations/openai.ts", anthropic: "src/integrations/anthropic.ts" };
const runtimes = {
  node: { index: "src/runtime/node.ts", next, relay, ...llm },
  deno: { index: "src/runtime/deno.ts", relay, ...llm },
  workerd: { index: "src/runtime/workerd.ts", workers: "src/integrations/workers/index.ts", relay, ...llm },
  "edge-light": { index: "src/runtime/edge-light.ts", next, relay, ...llm },
  browser: { index: "src/runtime/browser.ts", zone: "src/context/zone.ts", ...llm },
};

/** Integrations that construct a RespanTelemetry import "#runtime": the runtime of the build they are in. */
const runtimeAlias = (name) => ({
  name: "runtime-alias",
  resolveId: (id) => (id === "#runtime" ? resolve(`src/runtime/${name}.ts`) : null),
});

/**
 * hoistTransitiveImports off: rollup would otherwise add bare `import "@opentelemetry/api"` lines
 * for what an entry's dependencies import. In the side-effectful /openai and /anthropic entries
 * (package.json "sideEffects") each such line makes esbuild warn "Ignoring this import" in the
 * user's build; the dependencies still import what they use.
 */
const esm = (dir) => ({
  dir: `dist/${dir}`,
  format: "es",
  entryFileNames: "[name].js",
  chunkFileNames: "chunks/[name]-[hash].js",
  sourcemap: true,
  hoistTransitiveImports: false,
});

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

/**
 * The local viewer (`npx respan-tracing view`): Node only, so it is its own build, never part of
 * a runtime's. cli.js is the package's bin; its UI files are copied beside it (dist/viewer/ui).
 */
const viewerUi = {
  name: "viewer-ui",
  writeBundle() {
    cpSync("src/viewer/ui", "dist/viewer/ui", { recursive: true });
  },
};
const viewer = {
  input: { cli: "src/viewer/cli.ts", server: "src/viewer/server.ts" },
  external,
  plugins: [ts(), viewerUi],
  output: { ...esm("viewer"), banner: (chunk) => (chunk.name === "cli" ? "#!/usr/bin/env node" : "") },
};

export default [
  viewer,
  ...Object.entries(runtimes).map(([name, input]) => ({ input, external, plugins: [runtimeAlias(name), ts()], output: esm(name) })),
  {
    input: { index: runtimes.node.index },
    external,
    plugins: [ts(), commonJsTypes],
    output: { dir: "dist/cjs", format: "cjs", entryFileNames: "[name].js", chunkFileNames: "chunks/[name]-[hash].js", sourcemap: true },
  },
];
