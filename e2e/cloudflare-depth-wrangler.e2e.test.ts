/**
 * The Durable Object case of Cloudflare depth under `wrangler dev` (pinned 4.86.0, as in
 * examples/cloudflare-worker), against the packed tarball: a Worker calls its DO by RPC and fetch;
 * the DO's spans arrive in the request's trace, under the caller's CLIENT spans.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../test/helpers/otlp-receiver.js";
import { CONSUMER } from "./harness/consumer.js";
import { runProcess } from "./harness/run-process.js";
import { collectUntil, freePort, settle, stopProcessGroup } from "./harness/processes.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/cf-depth-wrangler/", import.meta.url));
// Beside the tarball globalSetup packed (its package.json points at ../respan-tracing.tgz); kept between runs.
const APP = `${CONSUMER}cf-depth-wrangler/`;
const READY_TIMEOUT_MS = 60_000;
const INSTALL_TIMEOUT_MS = 240_000;

describe("Cloudflare depth under wrangler dev: a Durable Object in the caller's trace", () => {
  let receiver: OtlpReceiver;
  let wrangler: ChildProcess | undefined;
  let base: string;
  let output: { readonly text: string } = { text: "" };

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    mkdirSync(APP, { recursive: true });
    cpSync(FIXTURE, APP, { recursive: true });
    rmSync(`${APP}node_modules/respan-tracing`, { recursive: true, force: true });
    rmSync(`${APP}package-lock.json`, { force: true });
    const install = await runProcess("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: APP, timeoutMs: INSTALL_TIMEOUT_MS });
    expect(install.code, install.output).toBe(0);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env: Record<string, string | undefined> = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" };
    delete env.RESPAN_API_KEY;
    const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--var", `EXPORT_URL:${receiver.url}/v1/traces`];
    // Its own process group: wrangler starts workerd children, all stopped together below.
    wrangler = spawn(`${APP}node_modules/.bin/wrangler`, args, { cwd: APP, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    output = await collectUntil(wrangler, "wrangler dev", (text) => text.includes(`Ready on ${base}`), READY_TIMEOUT_MS);
  });

  afterAll(async () => {
    await stopProcessGroup(wrangler);
    await receiver?.close();
  });

  it("RPC and fetch to the DO: arguments and body unchanged; the DO's spans under the caller's CLIENT spans, per request", async () => {
    const get = async (n: number) => (await (await fetch(`${base}/?n=${n}`)).json()) as { traceId: string; rpc: unknown; fetched: unknown };
    const [first, second] = await Promise.all([get(1), get(2)]);
    for (const [n, answer] of [[1, first], [2, second]] as const) {
      expect(answer.rpc).toEqual({ count: 2, args: [String(n), { nested: [1, "two", null] }] });
      expect(answer.fetched).toEqual({ body: `hello ${n}`, work: 7 });
    }
    expect(first!.traceId).not.toBe(second!.traceId);
    const byId = (id: string | undefined) => receiver.spans.find((s) => s.spanId === id);
    const ancestry = (span: ReceivedSpan | undefined) => {
      const names: string[] = [];
      for (let s = span, hops = 0; s && hops < 20; s = byId(s.parentSpanId), hops++) names.push(s.name);
      return names;
    };
    for (const [n, answer] of [[1, first!], [2, second!]] as const) {
      const inTrace = () => receiver.spans.filter((s) => s.traceId === answer.traceId);
      await settle(() => inTrace().some((s) => s.name === `room_work_${n}.task`) && inTrace().some((s) => s.name === "room_fetch_work.task"));
      expect(ancestry(inTrace().find((s) => s.name === `room_work_${n}.task`))).toEqual([`room_work_${n}.task`, "RoomBase.add", "ROOM.add", "GET /"]);
      expect(ancestry(inTrace().find((s) => s.name === "room_fetch_work.task"))).toEqual(["room_fetch_work.task", "POST /echo", "POST ROOM", "GET /"]);
    }
    expect(output.text).not.toMatch(/Uncaught|✘/);
  });
});
