/**
 * examples/cloudflare-worker run as its README says — `npm install && npm start` (wrangler dev,
 * local workerd) — but against the packed tarball, not the source tree. Spans must reach a
 * loopback OTLP receiver through ctx.waitUntil, one trace per request.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../../test/helpers/otlp-receiver.js";
import { CONSUMER, ROOT } from "../harness/consumer.js";
import { runProcess } from "../harness/run-process.js";
import { collectUntil, freePort, settle, stopProcessGroup } from "../harness/processes.js";

const EXAMPLE = `${ROOT}examples/cloudflare-worker/`;
// Kept between runs (git-ignored with the consumer): wrangler's install is reused, only the tarball changes.
const APP = `${CONSUMER}examples/cloudflare-worker/`;
const READY_TIMEOUT_MS = 60_000;



/** POSTs a message; the answer (joined from its server-sent events) and how many network chunks brought it. */
async function ask(base: string, message: string): Promise<{ status: number; type: string | null; text: string; chunks: number; done: boolean }> {
  const response = await fetch(`${base}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message }) });
  let raw = "";
  let chunks = 0;
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    chunks++;
    raw += decoder.decode(chunk, { stream: true });
  }
  const events = raw.split("\n\n").filter(Boolean).map((event) => event.replace(/^data: /, ""));
  const done = events.at(-1) === "[DONE]";
  const text = events.filter((data) => data !== "[DONE]").map((data) => (JSON.parse(data) as { text: string }).text).join("");
  return { status: response.status, type: response.headers.get("content-type"), text, chunks, done };
}

const mockAnswer = (message: string) => `This is the mock LLM answering "${message}". Set OPENAI_API_KEY to ask the real one.`;

/** The trace whose openai.chat span carries `message`: request span → answer_question.task → openai.chat. */
function traceOf(spans: ReceivedSpan[], message: string) {
  const llm = spans.find((s) => s.name === "openai.chat" && JSON.stringify(s.attributes).includes(message));
  const task = spans.find((s) => s.spanId === llm?.parentSpanId);
  const root = spans.find((s) => s.spanId === task?.parentSpanId);
  return { llm, task, root, inTrace: spans.filter((s) => s.traceId === llm?.traceId).map((s) => s.name).sort() };
}

describe("examples/cloudflare-worker (wrangler dev)", () => {
  let receiver: OtlpReceiver;
  let wrangler: ChildProcess | undefined;
  let base: string;
  let output: { readonly text: string } = { text: "" };

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    mkdirSync(APP, { recursive: true });
    cpSync(EXAMPLE, APP, { recursive: true, filter: (source) => !/[/\\](node_modules|\.wrangler|dist|\.dev\.vars)$/.test(source) });
    // The example depends on file:../..; here it gets the tarball globalSetup packed, like a user's npm install.
    const manifest = JSON.parse(readFileSync(`${APP}package.json`, "utf8"));
    manifest.dependencies["respan-tracing"] = `file:${CONSUMER}respan-tracing.tgz`;
    writeFileSync(`${APP}package.json`, JSON.stringify(manifest, null, 2));
    // npm keeps an installed copy with the same version: drop it so this run's build is used.
    rmSync(`${APP}node_modules/respan-tracing`, { recursive: true, force: true });
    rmSync(`${APP}package-lock.json`, { force: true });
    const started = Date.now();
    const install = await runProcess("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: APP, timeoutMs: 240_000 });
    expect(install.code, install.output).toBe(0);
    console.log(`examples/cloudflare-worker: npm install took ${Date.now() - started} ms`);

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env: Record<string, string | undefined> = {
      ...process.env,
      PORT: String(port),
      RESPAN_EXPORT_URL: `${receiver.url}/v1/traces`,
      WRANGLER_SEND_METRICS: "false",
      CI: "true",
    };
    delete env.RESPAN_API_KEY;
    // Its own process group: wrangler starts workerd children, all stopped together below.
    wrangler = spawn("npm", ["start"], { cwd: APP, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const ready = Date.now();
    output = await collectUntil(wrangler, "wrangler dev", (text) => text.includes(`Ready on ${base}`), READY_TIMEOUT_MS);
    console.log(`examples/cloudflare-worker: wrangler dev ready in ${Date.now() - ready} ms`);
  });

  afterAll(async () => {
    await stopProcessGroup(wrangler);
    await receiver?.close();
  });

  it("POST /api/chat streams the answer; each request is one trace: POST /api/chat → answer_question.task → openai.chat", async () => {
    for (const message of ["What is a span?", "And a trace?"]) {
      const answer = await ask(base, message);
      expect(answer.status).toBe(200);
      expect(answer.type).toBe("text/event-stream");
      expect(answer).toMatchObject({ text: mockAnswer(message), done: true });
      // Streamed, not held back: the mock sends a token every 15 ms and the Worker passes each one on.
      expect(answer.chunks).toBeGreaterThan(1);
    }
    // The spans leave through ctx.waitUntil after the response has ended.
    await settle(() => ["What is a span?", "And a trace?"].every((m) => traceOf(receiver.spans, m).root));
    const first = traceOf(receiver.spans, "What is a span?");
    const second = traceOf(receiver.spans, "And a trace?");
    for (const trace of [first, second]) {
      expect(trace.root).toMatchObject({ name: "POST /api/chat", parentSpanId: undefined });
      expect(trace.root!.attributes).toMatchObject({ "http.request.method": "POST", "http.response.status_code": 200, "url.path": "/api/chat" });
      expect(trace.task!.name).toBe("answer_question.task");
      expect(trace.llm!.attributes["gen_ai.request.model"]).toBe("gpt-4o-mini");
      expect(trace.inTrace).toEqual(["POST /api/chat", "answer_question.task", "openai.chat"].sort());
      expect(trace.root!.resource["service.name"]).toBe("cloudflare-worker-example");
    }
    expect(first.root!.traceId).not.toBe(second.root!.traceId);
  });

  it("two concurrent requests: separate traces, each with its own task and LLM span", async () => {
    const messages = ["Concurrent one", "Concurrent two"];
    const answers = await Promise.all(messages.map((m) => ask(base, m)));
    expect(answers.map((a) => a.text)).toEqual(messages.map(mockAnswer));
    await settle(() => messages.every((m) => traceOf(receiver.spans, m).root));
    const [a, b] = messages.map((m) => traceOf(receiver.spans, m));
    expect(a!.root!.traceId).not.toBe(b!.root!.traceId);
    for (const trace of [a!, b!]) expect(trace.inTrace).toEqual(["POST /api/chat", "answer_question.task", "openai.chat"].sort());
  });

  it("POST /api/respan-traces relays a page's spans from the Worker's own origin, and refuses other origins", async () => {
    const span = { traceId: "ab".repeat(16), spanId: "cd".repeat(8), name: "widget_click.task", kind: 1, startTimeUnixNano: "1", endTimeUnixNano: "2" };
    const body = JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: "browser" }, spans: [span] }] }] });
    const post = (origin: string) => fetch(`${base}/api/respan-traces`, { method: "POST", headers: { origin, "content-type": "application/json" }, body });
    expect((await post("https://elsewhere.example")).status).toBe(403);
    expect((await post(base)).status).toBe(202);
    await settle(() => receiver.spans.some((s) => s.name === "widget_click.task"));
    expect(receiver.spans.find((s) => s.name === "widget_click.task")).toMatchObject({ traceId: span.traceId });
  });

  it("wrangler logged every request as answered and no uncaught error (a hung waitUntil or stream shows up here)", () => {
    expect(output.text).not.toMatch(/Uncaught|hung|✘/);
    expect(output.text.match(/POST \/api\/chat 200/g)?.length).toBe(4);
  });
});
