/**
 * Installs bench/contenders/ (Traceloop, KeywordsAI: their own package.json and lock, kept out of
 * the repository's) when `npm run bench` asks for them: `npm ci --prefix bench/contenders`, once,
 * skipped when the pinned versions are already there. Never run by `npm test` or CI. A failure
 * (offline, registry error, time-out) is not fatal: the bench runs without the contender and says
 * why in RESULTS.md.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EXTERNAL, installedVersion } from "./external-contenders.mjs";

const DIR = fileURLToPath(new URL("../contenders/", import.meta.url));
/** ~390 packages, ~1 min on this machine's registry; past 10 min something hangs (npm's retries). */
const INSTALL_TIMEOUT_MS = 10 * 60_000;
/** How much of npm's error output goes into RESULTS.md. */
const REASON_CHARS = 300;

const pinned = () => JSON.parse(readFileSync(`${DIR}package.json`, "utf8")).dependencies;
const wanted = (name) => pinned()[EXTERNAL[name].pkg];

/**
 * Returns { available: [names], missing: { name: reason }, installLog } for `names` (keys of
 * EXTERNAL). `install: false` only reports what is already installed.
 */
export async function ensureContenders(names, { install = true } = {}) {
  const stale = () => names.filter((name) => installedVersion(name) !== wanted(name));
  let failure;
  if (stale().length > 0 && install) {
    process.stderr.write(`installing bench contenders (${stale().map((n) => EXTERNAL[n].pkg).join(", ")}): npm ci --prefix bench/contenders\n`);
    failure = await npmCi();
  } else if (stale().length > 0) {
    failure = "not installed (--no-install)";
  }
  const available = [];
  const missing = {};
  for (const name of names) {
    const version = installedVersion(name);
    if (version === wanted(name)) available.push(name);
    else missing[name] = failure ?? `installed version ${version ?? "none"}, pinned ${wanted(name)}`;
  }
  return { available, missing };
}

function npmCi() {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  return new Promise((resolve) => {
    execFile(npm, ["ci", "--prefix", DIR, "--no-audit", "--no-fund"], { timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (!error) return resolve(undefined);
      const detail = String(stderr).split("\n").filter((line) => /ERR!|error/i.test(line)).slice(0, 4).join(" ").replace(/\s+/g, " ");
      const why = error.killed ? `timed out after ${INSTALL_TIMEOUT_MS / 60_000} min` : `exit ${error.code}`;
      resolve(`\`npm ci --prefix bench/contenders\` failed (${why}): ${(detail || error.message).slice(0, REASON_CHARS)}`);
    });
  });
}

/** "Traceloop (@traceloop/node-server-sdk 0.27.0)" */
export const describe = (name) => `${EXTERNAL[name].label} (\`${EXTERNAL[name].pkg}\` ${installedVersion(name) ?? wanted(name)})`;
