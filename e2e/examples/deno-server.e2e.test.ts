/**
 * examples/deno-server run as its README says: copied out of the repository, `npm install` (with
 * the packed respan-tracing tarball in place of `file:../..`), then `deno task start` with the real
 * deno binary, spans sent to a loopback OTLP receiver through RESPAN_EXPORT_URL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../../test/helpers/otlp-receiver.js";
import { CONSUMER, ROOT } from "../harness/consumer.js";
import { runProcess } from "../harness/run-process.js";

const EXAMPLE = join(ROOT, "examples/deno-server");
const FILES = ["main.ts", "mock-openai.ts", "deno.json", "package.json", "README.md"];
/** The real binary from the `deno` npm package (node_modules/.bin/deno links to it). */
const DENO_BINARY = join(ROOT, "node_modules/deno/deno");
/** Deno starting and type-stripping main.ts on two busy cores takes a second or two. */
const START_TIMEOUT_MS = 30_000;
/** What the example's mock LLM answers (mock-openai.ts). */
const reply = (message: string) => `You said: "${message}". This answer comes from the mock LLM, word by word.`;

interface Server {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * The example outside the repository (as someone who copied it has it): here `deno task` finds no
 * `node_modules/.bin/deno` shim of this repository's devDependency (RUNTIMES.md).
 */
async function installExample(): Promise<{ dir: string; bin: string }> {
  const base = mkdtempSync(join(tmpdir(), "respan-deno-server-"));
  const dir = join(base, "deno-server");
  mkdirSync(dir);
  for (const file of FILES) cpSync(join(EXAMPLE, file), join(dir, file));
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  pkg.dependencies["respan-tracing"] = `file:${CONSUMER}respan-tracing.tgz`; // packed by the e2e globalSetup
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2));
  const install = await runProcess("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: dir, timeoutMs: 120_000 });
  if (install.code !== 0) throw new Error(`npm install failed:\n${install.output}`);
  // `deno` on PATH, as a user has it.
  const bin = join(base, "bin");
  mkdirSync(bin);
  symlinkSync(DENO_BINARY, join(bin, "deno"));
  return { dir: base, bin };
}

/** `deno task start` in its own process group, so stop() ends the task runner and its `deno run`. */
function startServer(cwd: string, bin: string, env: Record<string, string>): Promise<Server> {
  const child: ChildProcess = spawn("deno", ["task", "start"], {
    cwd,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    // Only these variables: no OPENAI_API_KEY or RESPAN_* of the test's own environment leaks in.
    env: {
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      HOME: process.env.HOME ?? "",
      DENO_DIR: join(ROOT, ".deno-cache"),
      DENO_NO_UPDATE_CHECK: "1",
      NO_COLOR: "1",
      PORT: "0",
      ...env,
    },
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid!, "SIGINT");
    const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`deno task start printed no URL within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on("data", () => {
      const match = output.match(/Listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (!match) return;
      clearTimeout(timer);
      resolve({ url: match[1]!, output: () => output, stop });
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`deno task start exited:\n${output}`));
    });
  });
}

/** POSTs a message and reads the streamed reply chunk by chunk. */
async function chat(url: string, message: string): Promise<{ status: number; type: string | null; text: string; chunks: number }> {
  const response = await fetch(`${url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message }) });
  const decoder = new TextDecoder();
  let text = "";
  let chunks = 0;
  for await (const chunk of response.body!) {
    chunks++;
    text += decoder.decode(chunk, { stream: true });
  }
  return { status: response.status, type: response.headers.get("content-type"), text, chunks };
}

/** The trace whose openai.chat span was asked `message`: checks workflow → task → openai.chat. */
function traceFor(spans: ReceivedSpan[], message: string): string {
  const llm = spans.filter((s) => s.name === "openai.chat" && JSON.stringify(s.attributes).includes(message));
  expect(llm, `one openai.chat span asked "${message}"`).toHaveLength(1);
  const traceId = llm[0]!.traceId;
  const trace = spans.filter((s) => s.traceId === traceId);
  expect(trace.map((s) => s.name).sort()).toEqual(["chat_request.workflow", "generate_reply.task", "openai.chat"]);
  const workflow = trace.find((s) => s.name === "chat_request.workflow")!;
  const task = trace.find((s) => s.name === "generate_reply.task")!;
  expect(workflow.parentSpanId).toBeFalsy();
  expect(task.parentSpanId).toBe(workflow.spanId);
  expect(llm[0]!.parentSpanId).toBe(task.spanId);
  expect(llm[0]!.attributes["gen_ai.request.model"]).toBe("gpt-4o-mini");
  return traceId;
}

describe("examples/deno-server (deno task start, the packed package)", () => {
  let dir: string;
  let receiver: OtlpReceiver;
  let server: Server;

  beforeAll(async () => {
    const installed = await installExample();
    dir = installed.dir;
    receiver = await startOtlpReceiver();
    server = await startServer(join(dir, "deno-server"), installed.bin, { RESPAN_EXPORT_URL: `${receiver.url}/v1/traces` });
  });

  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("streams the reply and exports one trace per request while it keeps running", async () => {
    const first = await chat(server.url, "What is a span?");
    expect(first).toMatchObject({ status: 200, type: "text/plain; charset=utf-8", text: reply("What is a span?") });
    expect(first.chunks, "the reply arrives in pieces, as the model streams it").toBeGreaterThan(1);
    await receiver.waitForSpans(3);
    const firstTrace = traceFor(receiver.spans, "What is a span?");

    const [a, b] = await Promise.all([chat(server.url, "concurrent one"), chat(server.url, "concurrent two")]);
    expect(a.text).toBe(reply("concurrent one"));
    expect(b.text).toBe(reply("concurrent two"));
    await receiver.waitForSpans(9);
    expect(receiver.spans).toHaveLength(9);
    const traces = new Set([firstTrace, traceFor(receiver.spans, "concurrent one"), traceFor(receiver.spans, "concurrent two")]);
    expect(traces.size, "each request is its own trace").toBe(3);
    expect(receiver.requests.every((r) => r.path === "/v1/traces")).toBe(true);
    expect(server.output()).toContain("└─ chat_request.workflow");
  });

  it("type-checks against the packed package's Deno types (deno check)", async () => {
    const { code, output } = await runProcess(DENO_BINARY, ["check", "main.ts", "mock-openai.ts"], {
      cwd: join(dir, "deno-server"),
      env: { DENO_DIR: join(ROOT, ".deno-cache"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
      timeoutMs: 60_000,
    });
    expect(code, output).toBe(0);
  });

  it("answers 400 to a body without a message, and 404 elsewhere", async () => {
    const bad = await fetch(`${server.url}/api/chat`, { method: "POST", body: "{}" });
    expect(bad.status).toBe(400);
    await bad.body?.cancel();
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    await missing.body?.cancel();
  });
});
