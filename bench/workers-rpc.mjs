/**
 * Bench (not a test): what tracing a Workers RPC call costs, in workerd (Miniflare). A caller
 * Worker makes one RPC call per request to a WorkerEntrypoint over a service binding; each case is
 * timed over N sequential requests after a warm-up, with spans exported to a loopback sink.
 *
 *   npm run build && node bench/workers-rpc.mjs [requests per case, default 500]
 *
 * Cases: neither side instrumented; both instrumented (the call goes through the carrier method);
 * instrumented caller → plain callee (after the one probe that learns it is plain).
 */
import { createServer } from "node:http";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { fileURLToPath } from "node:url";

const N = Number(process.argv[2] ?? 500);
const WARM_UP = 50; // isolates, JIT and the capability probe settle before timing
const dist = (file) => fileURLToPath(new URL(`../dist/workerd/${file}`, import.meta.url));

const sink = createServer((req, res) => req.resume().on("end", () => res.end("{}")));
await new Promise((resolve) => sink.listen(0, "127.0.0.1", resolve));
const exportUrl = `http://127.0.0.1:${sink.address().port}/v1/traces`;

const bundle = async (contents) =>
  (
    await build({
      stdin: { contents, resolveDir: process.cwd(), loader: "js" },
      bundle: true,
      write: false,
      format: "esm",
      platform: "browser",
      conditions: ["workerd", "worker", "browser"],
      external: ["node:*", "cloudflare:*"],
      alias: { "respan-tracing/workers": dist("workers.js"), "respan-tracing": dist("index.js") },
      logLevel: "error",
    })
  ).outputFiles[0].text;

const caller = (traced) => `
import { instrumentWorker } from "respan-tracing/workers";
const handler = { async fetch(request, env) { return Response.json(await env.SVC.charge("u1", 42)); } };
export default ${traced ? `instrumentWorker(handler, (env) => ({ appName: "bench-caller", exportUrl: env.EXPORT_URL }))` : "handler"};`;
const callee = (traced) => `
import { WorkerEntrypoint } from "cloudflare:workers";
import { instrumentWorkerEntrypoint } from "respan-tracing/workers";
class BillingBase extends WorkerEntrypoint { async charge(user, cents) { return { user, cents }; } }
export const Billing = ${traced ? `instrumentWorkerEntrypoint(BillingBase, (env) => ({ appName: "bench-callee", exportUrl: env.EXPORT_URL }))` : "BillingBase"};
export default { fetch: () => new Response("callee") };`;

async function run(name, tracedCaller, tracedCallee) {
  const common = { modules: true, compatibilityDate: "2025-09-01", compatibilityFlags: ["nodejs_als"], bindings: { EXPORT_URL: exportUrl } };
  const mf = new Miniflare({
    workers: [
      { ...common, name: "caller", script: await bundle(caller(tracedCaller)), serviceBindings: { SVC: { name: "callee", entrypoint: "Billing" } } },
      { ...common, name: "callee", script: await bundle(callee(tracedCallee)) },
    ],
  });
  try {
    for (let i = 0; i < WARM_UP; i++) await (await mf.dispatchFetch("http://caller/")).text();
    const times = [];
    for (let i = 0; i < N; i++) {
      const start = performance.now();
      await (await mf.dispatchFetch("http://caller/")).text();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
    console.log(`${name.padEnd(34)} p50 ${at(0.5)} ms  p90 ${at(0.9)} ms  p99 ${at(0.99)} ms`);
  } finally {
    await mf.dispose();
  }
}

console.log(`${N} requests per case, one RPC call each (after ${WARM_UP} warm-up requests)`);
await run("plain caller → plain callee", false, false);
await run("traced caller → traced callee", true, true);
await run("traced caller → plain callee", true, false);
await new Promise((resolve) => sink.close(resolve));
