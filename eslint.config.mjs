// The lint rule that keeps src/core runtime-neutral (DESIGN.md): no browser, Node, Deno or
// Workers global and no node:/cloudflare: import there. Runtime specifics belong in src/runtime,
// src/context and src/transport.
import tseslint from "typescript-eslint";

const runtimeGlobals = ["window", "document", "navigator", "process", "Deno", "Buffer", "localStorage", "sessionStorage", "self", "require", "module", "__dirname", "__filename", "global"];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**"] },
  {
    files: ["src/**/*.ts"],
    languageOptions: { parser: tseslint.parser },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-globals": ["error", ...runtimeGlobals.map((name) => ({ name, message: `src/core is runtime-neutral: pass ${name} in from src/runtime instead.` }))],
      "no-restricted-imports": ["error", { patterns: [{ group: ["node:*", "cloudflare:*", "async_hooks", "fs", "http", "https", "path"], message: "src/core is runtime-neutral: no runtime built-ins." }] }],
    },
  },
);
