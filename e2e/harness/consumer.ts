/**
 * Makes e2e/.consumer: a consumer project that installs the packed respan-tracing tarball from
 * npm pack (not the source tree), plus the runners and the Next.js app. Every runtime's e2e test
 * then imports "respan-tracing" by name from there, as a user's app would.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build, transform } from "esbuild";
import { readFileSync } from "node:fs";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CONSUMER = fileURLToPath(new URL("../.consumer/", import.meta.url));

const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, timeout: 600_000 }).toString();

export async function prepareConsumer(): Promise<void> {
  mkdirSync(CONSUMER, { recursive: true });
  for (const entry of readdirSync(CONSUMER)) if (entry.endsWith(".tgz")) rmSync(CONSUMER + entry);
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", CONSUMER], ROOT)) as Array<{ filename: string }>;
  renameSync(CONSUMER + packed[0]!.filename, CONSUMER + "respan-tracing.tgz");
  cpSync(fileURLToPath(new URL("../consumer-template/", import.meta.url)), CONSUMER, { recursive: true });
  // A fresh copy of the package each run (npm would keep a stale one with the same version).
  rmSync(CONSUMER + "node_modules/respan-tracing", { recursive: true, force: true });
  rmSync(CONSUMER + "package-lock.json", { force: true });
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], CONSUMER);

  const scenarios = readFileSync(fileURLToPath(new URL("../conformance/scenarios.ts", import.meta.url)), "utf8");
  const { code } = await transform(scenarios, { loader: "ts", format: "esm", target: "es2022" });
  writeFileSync(CONSUMER + "scenarios.mjs", code);
  cpSync(fileURLToPath(new URL("../runners/", import.meta.url)), CONSUMER, { recursive: true });
}

/** Bundles a runner from the consumer dir the way a runtime's tooling would. */
export async function bundleRunner(
  entry: string,
  outfile: string,
  options: { conditions: string[]; platform: "browser" | "neutral"; target?: string; alias?: Record<string, string> },
): Promise<string> {
  const target = CONSUMER + outfile;
  await build({
    entryPoints: [CONSUMER + entry],
    outfile: target,
    bundle: true,
    format: "esm",
    platform: options.platform,
    conditions: options.conditions,
    mainFields: ["browser", "module", "main"],
    external: ["node:*", "cloudflare:*"],
    target: options.target ?? "es2022",
    alias: options.alias,
    logLevel: "error",
  });
  return target;
}

export function consumerReady(): boolean {
  return existsSync(CONSUMER + "node_modules/respan-tracing/package.json") && existsSync(CONSUMER + "scenarios.mjs");
}
