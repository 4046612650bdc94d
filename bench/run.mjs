/**
 * `npm run bench`: respan-tracing against raw OpenTelemetry JS doing the same work by hand, and
 * against Traceloop and KeywordsAI where bench/contenders/ installs (lib/install-contenders.mjs:
 * `npm ci --prefix bench/contenders` on first use; --no-install skips it), in one run, alternating
 * the contenders (so machine noise hits all), several rounds, each sample in its own child process.
 * Writes the medians and ratios to bench/RESULTS.md (or --out FILE).
 *
 *   node bench/run.mjs [--rounds 5] [--out bench/RESULTS.md] [--no-install]
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { CONTENDERS, EXTERNAL_CONTENDERS } from "./lib/contenders.mjs";
import { EXTERNAL } from "./lib/external-contenders.mjs";
import { describe, ensureContenders } from "./lib/install-contenders.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const ROUNDS = Math.max(1, Math.min(25, Number(option("--rounds", 5)) || 5));
/** The 10,000-workflow burst is about delivery and memory, not timing: fewer rounds suffice. */
const BURST_ROUNDS = Math.min(ROUNDS, 3);
const OUT = option("--out", fileURLToPath(new URL("./RESULTS.md", import.meta.url)));
const CHILD_TIMEOUT_MS = 180_000;
const root = fileURLToPath(new URL("..", import.meta.url));
/** Calls per contender in the delivery check (2 spans each): fits every SDK's default queue (2,048). */
const DELIVERY_CALLS = 1000;

function child(script, argv, { allowFail = false } = {}) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--expose-gc", `bench/${script}`, ...argv], { cwd: root, timeout: CHILD_TIMEOUT_MS, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const line = stdout.trim().split("\n").filter((l) => l.startsWith("{")).pop();
      if (error && !(allowFail && line)) return reject(new Error(`${script} ${argv.join(" ")}: ${error.message}\n${stderr}`));
      try {
        resolve({ ...JSON.parse(line), exitCode: error ? error.code : 0 });
      } catch {
        reject(new Error(`${script} ${argv.join(" ")} printed no JSON: ${stdout}\n${stderr}`));
      }
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const samples = {};
const add = (key, value) => (samples[key] ??= []).push(value);
const external = await ensureContenders(EXTERNAL_CONTENDERS, { install: !args.includes("--no-install") });
// The delivery check first: an installed contender that does not run, or loses spans, is left out
// with the reason in RESULTS.md rather than stopping the bench or being timed doing less work.
const delivery = {};
for (const contender of [...CONTENDERS, ...external.available]) {
  const isExternal = !CONTENDERS.includes(contender);
  try {
    delivery[contender] = await child("delivery-check.mjs", [contender, String(DELIVERY_CALLS)]);
  } catch (error) {
    if (!isExternal) throw error;
    const lines = String(error.message).split("\n");
    const why = lines.find((line) => /^\s*\w*Error: /.test(line)) ?? lines[0];
    external.missing[contender] = `installed, but the delivery check failed: ${why.trim().slice(0, 300)}`;
    continue;
  }
  const { received, expected } = delivery[contender];
  if (isExternal && received !== expected) external.missing[contender] = `installed, but the receiver decoded ${received} of ${expected} spans in the delivery check`;
}
external.available = external.available.filter((name) => !external.missing[name]);
const ALL = [...CONTENDERS, ...external.available];
const loadBefore = os.loadavg();

for (let round = 0; round < ROUNDS; round++) {
  // Alternate which contender goes first, so none always runs on a warmer or cooler machine.
  const order = round % 2 === 0 ? ALL : [...ALL].reverse();
  for (const contender of order) {
    const steady = await child("per-call.mjs", [contender, "steady"]);
    add(`steady:${contender}`, steady.usPerCall);
    add(`steadyCpu:${contender}`, steady.cpuUsPerCall);
    if (!CONTENDERS.includes(contender)) {
      // Traceloop and KeywordsAI: (a) and (e), what issue 11 asks to compare. Not (b): Traceloop's
      // workflow span ends a microtask after the call (its span callback is async), so in (b)'s
      // synchronous loop every workflow span would stay open until the loop ends: another test.
      add(`startup:${contender}`, (await child("startup.mjs", [contender])).totalMs);
      continue;
    }
    const burst = await child("per-call.mjs", [contender, "burst"]);
    add(`burst:${contender}`, burst.usPerCall);
    add(`burstCpu:${contender}`, burst.cpuUsPerCall);
    add(`startup:${contender}`, (await child("startup.mjs", [contender])).totalMs);
    if (round < BURST_ROUNDS) add(`flood:${contender}`, await child("burst-10k.mjs", [contender]));
  }
  process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
}
const outage = await child("receiver-down.mjs", [], { allowFail: true });
const loadAfter = os.loadavg();

const med = (key) => median(samples[key]);
const fmt = (x, digits = 1) => x.toFixed(digits);
const version = (pkg) => JSON.parse(readFileSync(`${root}/node_modules/${pkg}/package.json`, "utf8")).version;
const ourVersion = JSON.parse(readFileSync(`${root}/package.json`, "utf8")).version;
const flood = (contender) => {
  const runs = samples[`flood:${contender}`];
  return {
    delivered: median(runs.map((r) => r.delivered)),
    dropped: median(runs.map((r) => r.dropped)),
    peakHeapMb: Math.max(...runs.map((r) => r.peakHeapMb)),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    burstMs: median(runs.map((r) => r.burstMs)),
    flushMs: median(runs.map((r) => r.flushMs)),
  };
};
const LABELS = { respan: "respan-tracing", otel: "raw OTel", ...Object.fromEntries(Object.entries(EXTERNAL).map(([k, v]) => [k, v.label])) };
const others = ALL.filter((c) => c !== "respan");
const cell = (key, contender, unit, digits) => (samples[`${key}:${contender}`] ? `${fmt(med(`${key}:${contender}`), digits)} ${unit}` : "—");
const ratio = (key, contender) => (samples[`${key}:${contender}`] ? `**${fmt(med(`${key}:respan`) / med(`${key}:${contender}`), 2)}×**` : "—");
const header = `| Scenario | ${ALL.map((c) => LABELS[c]).join(" | ")} | ${others.map((c) => `respan ÷ ${LABELS[c]}`).join(" | ")} |\n|---|${ALL.map(() => "---|").join("")}${others.map(() => "---|").join("")}`;
const row = (label, key, unit, digits) => `| ${label} | ${ALL.map((c) => cell(key, c, unit, digits)).join(" | ")} | ${others.map((c) => ratio(key, c)).join(" | ")} |`;
const externalNotes = EXTERNAL_CONTENDERS.map((name) =>
  external.available.includes(name)
    ? `- ${describe(name)}: installed from bench/contenders/ (its own lock and OpenTelemetry copy), options in bench/lib/external-contenders.mjs; measured in (a) and (e) only.`
    : `- ${describe(name)}: **not measured**: ${external.missing[name]}`,
).join("\n");
const deliveryLine = ALL.map((c) => `${LABELS[c]} ${delivery[c].received}/${delivery[c].expected}${delivery[c].protobufRequests ? " (protobuf)" : ""}`).join(", ");
const fr = flood("respan");
const fo = flood("otel");
const cpu = os.cpus()[0]?.model ?? "unknown";

const report = `# Benchmarks: respan-tracing vs raw OpenTelemetry JS${external.available.length ? `, ${external.available.map((c) => LABELS[c]).join(", ")}` : ""}

Generated by \`npm run bench\` (bench/run.mjs) on ${new Date().toISOString()}.

- Machine: ${os.cpus().length} × ${cpu}, ${fmt(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}
- Node ${process.version}; load average (1/5/15 min) before ${loadBefore.map((x) => fmt(x, 2)).join(" / ")}, after ${loadAfter.map((x) => fmt(x, 2)).join(" / ")} (a shared machine: ratios are measured alternating, in one run, so noise hits all of them)
- respan-tracing ${ourVersion} (this checkout, dist/node); @opentelemetry/sdk-trace-base ${version("@opentelemetry/sdk-trace-base")}, @opentelemetry/exporter-trace-otlp-http ${version("@opentelemetry/exporter-trace-otlp-http")}, @opentelemetry/context-async-hooks ${version("@opentelemetry/context-async-hooks")}
${externalNotes}
- ${ROUNDS} rounds, contenders alternating, each sample in its own process; medians shown. CPU time (user + system of the
  measured process, all its threads) is less sensitive than wall time to other processes on a loaded machine.
- What the profile showed and what changed: bench/README.md. The same run before issue 11: bench/results-before-issue11.md.

All contenders do the same work per call: a workflow span with one task child, each with the traceloop
span kind, entity name, workflow name, (task) entity path, input and output as JSON; batched OTLP/HTTP
(JSON; Traceloop and KeywordsAI: protobuf, their default) to a loopback receiver on 127.0.0.1 that reads
and discards the bodies. Delivery check (${DELIVERY_CALLS} calls, spans the receiver decoded / expected): ${deliveryLine}.
A ratio above 1 means respan-tracing takes longer.

${header}
${row("(a) per call, steady, export running (yield every 20 calls): wall time", "steady", "µs", 1)}
${row("(a) same, CPU time of the process", "steadyCpu", "µs", 1)}
${row("(b) per call, overflowing burst (queue bound 2,048 spans, drop path): wall time", "burst", "µs", 1)}
${row("(b) same, CPU time of the process", "burstCpu", "µs", 1)}
${row("(e) Node import + construction", "startup", "ms", 0)}

(c) 10,000 concurrent workflows of 5 spans (50,000 spans), default settings, then a flush (median of ${BURST_ROUNDS}; peak = max):

| | delivered | dropped | burst | flush | peak heap growth | peak RSS growth |
|---|---|---|---|---|---|---|
| respan-tracing | ${fr.delivered} | ${fr.dropped} | ${fr.burstMs} ms | ${fr.flushMs} ms | ${fr.peakHeapMb} MB | ${fr.peakRssMb} MB |
| raw OTel | ${fo.delivered} | ${fo.dropped} | ${fo.burstMs} ms | ${fo.flushMs} ms | ${fo.peakHeapMb} MB | ${fo.peakRssMb} MB |

(d) Receiver down, 100,000 spans (bench/receiver-down.mjs): ${outage.spansPerSecond} spans/s, dropped ${outage.stats?.dropped}, queued ${outage.stats?.queued}, drop count exact: ${outage.dropCountExact}, peak heap growth ${outage.peakHeapGrowthMb} MB (bound ${outage.boundMb} MB: ${outage.withinBound ? "within" : "EXCEEDED"}), peak RSS growth ${outage.peakRssGrowthMb} MB.
`;
writeFileSync(OUT, report);
console.log(report);
