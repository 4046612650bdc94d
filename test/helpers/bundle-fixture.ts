import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * Bundles `test/fixtures/<name>` as a runtime's tooling would (the built package, resolved with
 * that runtime's export conditions) and answers the script's text.
 */
export async function bundleFixture(name: string, conditions: string[]): Promise<string> {
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    conditions,
    external: ["node:*", "cloudflare:*"],
    target: "es2022",
    logLevel: "error",
  });
  return bundled.outputFiles[0]!.text;
}
