/**
 * examples/next-chat run as its README says — `npm install && npm start` (next build + next start)
 * — but against the packed tarball, not the source tree, and driven in Chromium like a user: type,
 * click Send, watch the reply stream in. Each send must be ONE trace from the click to the LLM:
 * chat_send.workflow (page) → POST <host> (page's fetch) → POST /api/chat[-edge] (withRespan)
 * → openai.chat, the page's spans arriving through the app's relay, and no key in the page.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../../test/helpers/otlp-receiver.js";
import { CHROMIUM } from "../harness/chromium.js";
import { CONSUMER, ROOT } from "../harness/consumer.js";
import { runProcess } from "../harness/run-process.js";
import { freePort, settle, stopProcessGroup } from "../harness/processes.js";

const EXAMPLE = `${ROOT}examples/next-chat/`;
// Kept between runs (git-ignored with the consumer): the install is reused, only the tarball changes.
const APP = `${CONSUMER}examples/next-chat/`;
/** `npm start` = next build (~15 s here, more on a busy machine) + next start. */
const READY_TIMEOUT_MS = 240_000;
/** Only ever on the server: the page, its scripts and its responses must never contain it. */
const SECRET = "rsp-test-key-that-must-stay-on-the-server";



const mockAnswer = (message: string) => `This is the mock LLM answering "${message}". Set OPENAI_API_KEY to ask the real one.`;

/** Every file under `dir` (bounded by the build's size), for the "no key in the bundle" check. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = `${dir}/${name}`;
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The trace whose openai.chat span carries `message`, walked up parent by parent. */
function traceOf(spans: ReceivedSpan[], message: string) {
  const byId = (id: string | undefined) => spans.find((s) => s.spanId === id);
  const llm = spans.find((s) => s.name === "openai.chat" && JSON.stringify(s.attributes).includes(message));
  const route = byId(llm?.parentSpanId);
  const fetchSpan = byId(route?.parentSpanId);
  const workflow = byId(fetchSpan?.parentSpanId);
  const inTrace = spans.filter((s) => s.traceId === llm?.traceId);
  return { llm, route, fetchSpan, workflow, inTrace, names: inTrace.map((s) => s.name).sort() };
}

describe("examples/next-chat (next build + next start, driven in Chromium)", () => {
  let receiver: OtlpReceiver;
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let base: string;
  let output = "";
  /** Every response body the page received (documents, scripts, API answers). */
  const bodies: string[] = [];

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    mkdirSync(APP, { recursive: true });
    cpSync(EXAMPLE, APP, { recursive: true, filter: (source) => !/[/\\](node_modules|\.next|next-env\.d\.ts|[^/\\]*\.tsbuildinfo)$/.test(source) });
    // The example depends on file:../..; here it gets the tarball globalSetup packed, like a user's npm install.
    const manifest = JSON.parse(readFileSync(`${APP}package.json`, "utf8"));
    manifest.dependencies["respan-tracing"] = `file:${CONSUMER}respan-tracing.tgz`;
    writeFileSync(`${APP}package.json`, JSON.stringify(manifest, null, 2));
    // npm keeps an installed copy with the same version: drop it so this run's build is used.
    rmSync(`${APP}node_modules/respan-tracing`, { recursive: true, force: true });
    rmSync(`${APP}package-lock.json`, { force: true });
    rmSync(`${APP}.next`, { recursive: true, force: true });
    let started = Date.now();
    const install = await runProcess("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: APP, timeoutMs: 240_000 });
    expect(install.code, install.output).toBe(0);
    console.log(`examples/next-chat: npm install took ${Date.now() - started} ms`);

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env: Record<string, string | undefined> = {
      ...process.env,
      PORT: String(port),
      RESPAN_EXPORT_URL: `${receiver.url}/v1/traces`,
      RESPAN_API_KEY: SECRET,
      NEXT_TELEMETRY_DISABLED: "1",
    };
    delete env.OPENAI_API_KEY;
    // Its own process group (npm → sh → next build, then next start): all stopped together below.
    server = spawn("npm", ["start"], { cwd: APP, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    server.stdout!.on("data", (chunk) => (output += chunk));
    server.stderr!.on("data", (chunk) => (output += chunk));
    started = Date.now();
    let ready = false;
    const deadline = started + READY_TIMEOUT_MS;
    while (!ready && server.exitCode === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (!output.includes("Ready")) continue;
      ready = await fetch(base).then((r) => r.ok, () => false);
    }
    if (!ready) throw new Error(`npm start (next build + next start) did not serve ${base} within ${READY_TIMEOUT_MS} ms:\n${output}`);
    console.log(`examples/next-chat: npm start (build + start) ready in ${Date.now() - started} ms`);

    browser = await chromium.launch(CHROMIUM);
    page = await browser.newPage();
    page.on("response", (response) => {
      response.text().then((text) => bodies.push(text), () => undefined);
    });
    await page.goto(base);
  });

  afterAll(async () => {
    await browser?.close();
    await stopProcessGroup(server);
    await receiver?.close();
  });

  it.each([
    ["nodejs", "/api/chat", "Node.js"],
    ["edge", "/api/chat-edge", "Edge"],
  ])('runtime = "%s": the reply streams into the page; the send is one trace click → %s → openai.chat', async (runtime, path, label) => {
    const message = `What is a span? (${runtime})`;
    await page.getByLabel(label).check();
    await page.getByLabel("Message").fill(message);
    // Streamed, not held back: the log must show the reply growing (the mock sends a token every 15 ms).
    await page.getByRole("log").evaluate((log) => {
      const seen = new Set<string>();
      (window as unknown as { replyStates: Set<string> }).replyStates = seen;
      new MutationObserver(() => seen.add(log.lastElementChild?.textContent ?? "")).observe(log, { subtree: true, childList: true, characterData: true });
    });
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByRole("log").getByText(mockAnswer(message)).waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => (window as unknown as { replyStates: Set<string> }).replyStates.size)).toBeGreaterThan(3);

    // Server spans leave through after(); the page's through the relay after its flush().
    await settle(() => {
      const t = traceOf(receiver.spans, message);
      return Boolean(t.workflow) && t.names.includes("read_reply.task");
    });
    const trace = traceOf(receiver.spans, message);
    expect(trace.route, JSON.stringify(trace.names)).toMatchObject({ name: `POST ${path}` });
    expect(trace.route!.attributes).toMatchObject({ "http.response.status_code": 200, "url.path": path });
    expect(trace.route!.resource["service.name"]).toBe(`next-chat-${runtime}`);
    expect(trace.llm!.attributes).toMatchObject({ "llm.is_streaming": true, "gen_ai.request.model": "gpt-4o-mini", "gen_ai.completion.0.content": mockAnswer(message) });
    // The page's fetch span carried traceparent into the route.
    expect(trace.fetchSpan).toMatchObject({ name: `POST ${new URL(base).host}`, scope: "respan-tracing/fetch" });
    expect(trace.fetchSpan!.attributes).toMatchObject({ "url.full": `${base}${path}`, "http.response.status_code": 200 });
    expect(trace.workflow).toMatchObject({ name: "chat_send.workflow", parentSpanId: undefined });
    for (const span of [trace.fetchSpan!, trace.workflow!]) expect(span.resource["service.name"]).toBe("next-chat-browser");
    const readReply = trace.inTrace.find((s) => s.name === "read_reply.task");
    expect(readReply?.parentSpanId).toBe(trace.workflow!.spanId);
    expect(trace.names).toEqual(["chat_send.workflow", `POST ${new URL(base).host}`, "read_reply.task", `POST ${path}`, "openai.chat"].sort());
  });

  it("the two sends are two traces, and the page's spans reached the receiver only through the relay", () => {
    const [a, b] = ["nodejs", "edge"].map((runtime) => traceOf(receiver.spans, `What is a span? (${runtime})`));
    expect(a!.llm!.traceId).not.toBe(b!.llm!.traceId);
    // The relay added the key server-side: every export request, the page's included, carries it.
    const browserExports = receiver.requests.filter((r) => String(r.headers["user-agent"] ?? "").includes("Chrome"));
    expect(browserExports).toEqual([]);
    expect(receiver.requests.length).toBeGreaterThan(0);
    for (const request of receiver.requests) expect(request.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it("the key never reached the browser: not in any response the page got, nor in the client bundle", () => {
    expect(bodies.length).toBeGreaterThan(3);
    for (const body of bodies) expect(body).not.toContain(SECRET);
    for (const file of filesUnder(`${APP}.next/static`)) expect(readFileSync(file, "utf8"), file).not.toContain(SECRET);
  });

  it("the server logged no error", () => {
    expect(output).not.toMatch(/⨯|Error:|unhandled/i);
  });
});
