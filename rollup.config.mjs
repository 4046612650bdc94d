// One build per runtime from the same src/. Dependencies stay external: an app's bundler (or Node)
// resolves them once, so @opentelemetry/api is never loaded twice.
import typescript from "@rollup/plugin-typescript";

const external = (id) => /^@opentelemetry\//.test(id) || id.startsWith("node:") || id === "async_hooks";

const ts = () =>
  typescript({ tsconfig: "./tsconfig.json", declaration: false, outDir: undefined, rootDir: "src", noEmitOnError: true });

export default [
  {
    input: { index: "src/runtime/node.ts" },
    external,
    plugins: [ts()],
    output: [
      { dir: "dist/node", format: "es", entryFileNames: "[name].js", chunkFileNames: "chunks/[name]-[hash].js", sourcemap: true },
      { dir: "dist/node", format: "cjs", entryFileNames: "[name].cjs", chunkFileNames: "chunks/[name]-[hash].cjs", sourcemap: true },
    ],
  },
];
