/**
 * A Worker that ALSO uses @opentelemetry/api itself (its own tracers, a diag logger) beside
 * respan-tracing/workers, in workerd (Miniflare), bundled as wrangler bundles: its spans must join
 * our trace and be exported. This holds because the app and our build share ONE copy of the API
 * (the workerd build keeps @opentelemetry/api external, rollup.config.mjs says why): with a second,
 * inlined copy, a tracer the app takes at module scope stays a no-op forever and its spans are lost.
 * Run twice: as wrangler resolves the API by default (its CommonJS build), and with the wrangler.toml
 * alias to its ES build that the README offers to save ~4 KiB (still one copy for app and SDK).
 */
import { Miniflare } from "miniflare";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spanNamed, startOtlpReceiver, type OtlpReceiver } from "../test/helpers/otlp-receiver.js";
import { CONSUMER, bundleRunner } from "./harness/consumer.js";

const SETTLE_TIMEOUT_MS = 15_000;
/**
 * What README "Bundle sizes" puts in wrangler.toml's [alias] (wrangler resolves it in an esbuild
 * plugin; esbuild's alias picks the same file).
 */
const ES_API_ALIAS = { "@opentelemetry/api": `${CONSUMER}node_modules/@opentelemetry/api/build/esm/index.js` };

describe.each([
  { api: "wrangler's default resolution (CommonJS API)", alias: undefined, outfile: "user-otel-worker.bundle.mjs" },
  { api: "the README's wrangler.toml alias (ES API)", alias: ES_API_ALIAS, outfile: "user-otel-worker-es-api.bundle.mjs" },
])("respan-tracing/workers beside the app's own @opentelemetry/api use, $api", ({ alias, outfile }) => {
  let receiver: OtlpReceiver;
  let mf: Miniflare;
  const stdio: string[] = [];
  let script = "";

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const file = await bundleRunner("user-otel-worker.mjs", outfile, { conditions: ["workerd", "worker", "browser"], platform: "browser", alias });
    script = readFileSync(file, "utf8");
    mf = new Miniflare({
      modules: [{ type: "ESModule", path: "worker.mjs", contents: script }],
      compatibilityDate: "2025-09-01",
      compatibilityFlags: ["nodejs_als"],
      bindings: { EXPORT_URL: `${receiver.url}/v1/traces` },
      handleRuntimeStdio(stdout, stderr) {
        stdout.on("data", (chunk: Buffer) => stdio.push(chunk.toString()));
        stderr.on("data", (chunk: Buffer) => stdio.push(chunk.toString()));
      },
    });
  });

  afterAll(async () => {
    await mf?.dispose();
    await receiver?.close();
  });

  const settle = async (predicate: () => boolean) => {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    while (!predicate() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  };

  it("the bundle holds one copy of the API, the build the bundling asked for", () => {
    // esbuild heads each bundled file with a comment naming it; the CommonJS build is build/src.
    const copies = script.match(/^\/\/ \S*@opentelemetry\/api\/build\/\w+\/version\.js$/gm) ?? [];
    expect(copies).toHaveLength(1);
    expect(copies[0]).toContain(`node_modules/@opentelemetry/api/build/${alias ? "esm" : "src"}/version.js`);
  });

  it("the app's spans (module-scope and handler tracers) are recorded, nest with ours both ways, and are exported in the request's trace", async () => {
    const response = await mf.dispatchFetch("http://worker/ask");
    expect(await response.json()).toEqual({ moduleSpanRecording: true, handlerSpanRecording: true, activeIsHandlerSpan: true, path: "/ask" });
    const names = ["GET /ask", "user_api_flow.workflow", "module_tracer_span", "inside_module_span.task", "outer_task.task", "handler_tracer_span"];
    await settle(() => names.every((name) => receiver.spans.some((s) => s.name === name)));
    const [root, flow, moduleSpan, inside, outer, handlerSpan] = names.map((name) => spanNamed(receiver.spans, name));
    expect(new Set([root, flow, moduleSpan, inside, outer, handlerSpan].map((s) => s!.traceId)).size).toBe(1);
    expect(flow!.parentSpanId).toBe(root!.spanId);
    expect(moduleSpan!.parentSpanId).toBe(flow!.spanId);
    expect(inside!.parentSpanId).toBe(moduleSpan!.spanId);
    expect(outer!.parentSpanId).toBe(flow!.spanId);
    expect(handlerSpan!.parentSpanId).toBe(outer!.spanId);
    expect({ module: moduleSpan!.scope, handler: handlerSpan!.scope }).toEqual({ module: "user-module-scope", handler: "user-handler" });
    // The app registered diag first: no registration of ours may have been refused.
    expect(stdio.join("")).not.toMatch(/@opentelemetry\/api: (Registration of version|Attempted duplicate registration)/);
  });
});
