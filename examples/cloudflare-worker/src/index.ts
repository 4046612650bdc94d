/**
 * A Cloudflare Worker that answers chat messages from an LLM, streamed, traced with respan-tracing.
 *
 *   POST /api/chat            {"message": "…"} → the answer, streamed as server-sent events
 *   POST /api/respan-traces   the relay a browser page sends its spans to (the key stays here)
 *   POST /mock-llm/v1/chat/completions   the built-in mock of OpenAI's API (used without a key)
 *   GET  /                    a tiny chat page
 *
 * Each request becomes one trace: `POST /api/chat` (the request span, from instrumentWorker)
 * → `answer_question.task` → `openai.chat`. instrumentWorker hands the export to `ctx.waitUntil`,
 * so the spans leave after the streamed answer has ended, without delaying it.
 */
import OpenAI from "openai";
import { withTask } from "respan-tracing";
// Brings the OpenAI patch into the Worker's bundle, so `instrumentModules: { openai }` below
// traces it (Workers, browser and edge builds leave LLM patches out unless imported).
import "respan-tracing/openai";
import { createTraceRelay } from "respan-tracing/relay";
import { instrumentWorker } from "respan-tracing/workers";
import { mockChatCompletions } from "./mock-llm";
import { chatPage } from "./page";

/** Where spans go when neither RESPAN_EXPORT_URL nor RESPAN_API_KEY is set: `npx respan-tracing view`. */
const LOCAL_VIEWER = "http://127.0.0.1:4318/v1/traces";

export interface Env {
  APP_NAME?: string;
  /** Secret. Sends spans to Respan (read by respan-tracing from env). */
  RESPAN_API_KEY?: string;
  /** Any OTLP/HTTP JSON endpoint instead, e.g. the local viewer's http://127.0.0.1:4318/v1/traces. */
  RESPAN_EXPORT_URL?: string;
  /** Secret. Without it the built-in mock answers. */
  OPENAI_API_KEY?: string;
  OPENAI_MODEL?: string;
  /** Comma-separated page origins, besides this Worker's own, allowed to use the relay. */
  ALLOWED_ORIGINS?: string;
}

// One client per isolate, made on first use: that is when `env` is known.
let openai: OpenAI | undefined;
function openaiFor(env: Env): OpenAI {
  openai ??= env.OPENAI_API_KEY
    ? new OpenAI({ apiKey: env.OPENAI_API_KEY })
    : // The mock is called in-process (a Worker cannot start a server, and a Worker fetching its
      // own URL is refused once deployed); it is a plain HTTP handler speaking OpenAI's wire format.
      new OpenAI({ apiKey: "mock-key", baseURL: "https://mock-llm.invalid/v1", fetch: (url, init) => mockChatCompletions(new Request(url, init)) });
  return openai;
}

/**
 * A streamed completion as server-sent events: `data: {"text":"…"}` per delta, then `data: [DONE]`.
 * SSE rather than chunked text/plain because Cloudflare (and wrangler dev) gzip text/plain, which
 * holds the answer back until it is complete; text/event-stream is passed through as it comes.
 */
function eventStream(completion: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunks = completion[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    // Reads until there is text to send: a pull that enqueues nothing is not called again, and
    // some chunks carry none (the opening role, the closing usage).
    async pull(controller) {
      for (;;) {
        const { done, value } = await chunks.next();
        if (done) {
          controller.enqueue(encoder.encode("data: [DONE]\n\n"));
          return controller.close();
        }
        const text = value.choices[0]?.delta?.content;
        if (text) return controller.enqueue(encoder.encode(`data: ${JSON.stringify({ text })}\n\n`));
      }
    },
    // The browser went away: stop reading from the provider too.
    async cancel() {
      await chunks.return?.();
    },
  });
}

async function chat(request: Request, env: Env): Promise<Response> {
  const body = (await request.json().catch(() => null)) as { message?: unknown } | null;
  const message = body?.message;
  if (typeof message !== "string" || message.trim() === "") {
    return Response.json({ error: 'POST JSON like {"message": "What is tracing?"}' }, { status: 400 });
  }
  const client = openaiFor(env);
  try {
    // A task returning a stream stays open until the stream is read to the end, so the trace
    // shows how long the whole answer took; openai.chat inside it ends with the last token.
    const answer = await withTask({ name: "answer_question" }, async () => {
      const completion = await client.chat.completions.create({
        model: env.OPENAI_MODEL || "gpt-4o-mini",
        messages: [
          { role: "system", content: "You are a helpful assistant. Answer in two sentences at most." },
          { role: "user", content: message },
        ],
        stream: true,
        stream_options: { include_usage: true },
      });
      return eventStream(completion);
    });
    return new Response(answer, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
  } catch (error) {
    // Failed before the first token (bad key, rate limit): the span has the details.
    return Response.json({ error: `the LLM call failed: ${(error as Error).message}` }, { status: 502 });
  }
}

/** Browser spans come here (same origin, so no CORS); the relay adds the key and forwards them. */
function relay(request: Request, env: Env): Promise<Response> | Response {
  const apiKey = env.RESPAN_API_KEY || undefined;
  // Where the Worker's own spans go: RESPAN_EXPORT_URL, else Respan with the key, else the local viewer.
  const exportUrl = env.RESPAN_EXPORT_URL || (apiKey ? undefined : LOCAL_VIEWER);
  const extra = (env.ALLOWED_ORIGINS ?? "").split(",").map((origin) => origin.trim()).filter(Boolean);
  // Cheap to make (no I/O); made per request because the allowed origin is this Worker's own URL.
  return createTraceRelay({ apiKey, exportUrl, allowedOrigins: [new URL(request.url).origin, ...extra] })(request);
}

export default instrumentWorker(
  {
    async fetch(request: Request, env: Env): Promise<Response> {
      const { pathname } = new URL(request.url);
      if (pathname === "/api/chat" && request.method === "POST") return chat(request, env);
      if (pathname === "/api/respan-traces") return relay(request, env);
      if (pathname === "/mock-llm/v1/chat/completions") return mockChatCompletions(request);
      if (pathname === "/" && request.method === "GET") return new Response(chatPage, { headers: { "content-type": "text/html; charset=utf-8" } });
      return Response.json({ error: "not found" }, { status: 404 });
    },
  },
  // Called once per isolate with the Worker's env; RESPAN_API_KEY / RESPAN_EXPORT_URL are read from it.
  (env: Env) => {
    const toLocalViewer = !env.RESPAN_API_KEY && !env.RESPAN_EXPORT_URL;
    if (toLocalViewer) {
      console.warn(`respan-tracing: no RESPAN_EXPORT_URL or RESPAN_API_KEY: spans go to the local viewer at ${LOCAL_VIEWER} (start it with \`npx respan-tracing view\`).`);
    }
    return {
      appName: env.APP_NAME || "cloudflare-worker-example",
      env: env as unknown as Record<string, unknown>,
      instrumentModules: { openai: OpenAI },
      ...(toLocalViewer ? { exportUrl: LOCAL_VIEWER } : {}),
    };
  },
);
