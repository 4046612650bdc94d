/**
 * A traced chat endpoint on Deno.serve. Each POST /api/chat makes one trace:
 *
 *   chat_request.workflow → generate_reply.task → openai.chat
 *
 * The reply streams back as plain chunked text while the model streams it. Without OPENAI_API_KEY
 * the LLM is a small mock OpenAI server started here (mock-openai.ts).
 */
import { ConsoleTreeExporter, RespanTelemetry, withTask, withWorkflow } from "npm:respan-tracing";
import OpenAI from "npm:openai";
import { startMockOpenAI } from "./mock-openai.ts";

const port = Number(Deno.env.get("PORT") ?? 3000);
const model = "gpt-4o-mini";

// Spans go to RESPAN_EXPORT_URL when set, else to Respan with RESPAN_API_KEY (the SDK reads both
// from Deno.env itself), else to the local viewer (`npx respan-tracing view`).
const LOCAL_VIEWER = "http://127.0.0.1:4318/v1/traces";
const toLocalViewer = !Deno.env.get("RESPAN_EXPORT_URL") && !Deno.env.get("RESPAN_API_KEY");
const telemetry = new RespanTelemetry({
  appName: "deno-server",
  instrumentModules: { openai: OpenAI },
  ...(toLocalViewer ? { exportUrl: LOCAL_VIEWER } : {}),
});
// Every trace is also printed as a tree in this terminal once its workflow ends (unbatched).
telemetry.addProcessor({ exporter: new ConsoleTreeExporter(), filter: () => true, isBatchingEnabled: false });
if (toLocalViewer) {
  console.log(`No RESPAN_EXPORT_URL or RESPAN_API_KEY: spans go to the local viewer at ${LOCAL_VIEWER}. Start it with\n  npx respan-tracing view`);
}

const mock = Deno.env.get("OPENAI_API_KEY") ? undefined : startMockOpenAI();
// The client is created after RespanTelemetry, so its calls are traced (instrumentModules).
const openai = mock ? new OpenAI({ apiKey: "mock-key", baseURL: `${mock.url}/v1` }) : new OpenAI();
console.log(mock ? `LLM: mock OpenAI server at ${mock.url} (set OPENAI_API_KEY for the real one)` : `LLM: OpenAI (${model})`);

/** Streams the model's answer to `message` into `send`; returns the whole reply. */
async function generateReply(message: string, send: (text: string) => void, signal: AbortSignal): Promise<string> {
  const stream = await openai.chat.completions.create(
    {
      model,
      messages: [{ role: "user", content: message }],
      stream: true,
      stream_options: { include_usage: true }, // token counts on the openai.chat span
    },
    { signal },
  );
  let reply = "";
  for await (const chunk of stream) {
    const text = chunk.choices[0]?.delta?.content ?? "";
    if (text) send(text);
    reply += text;
  }
  return reply;
}

const encoder = new TextEncoder();

function chat(message: string): Response {
  const clientGone = new AbortController(); // stops the LLM call when the client disconnects
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      try {
        await withWorkflow({ name: "chat_request" }, () => withTask({ name: "generate_reply" }, () => generateReply(message, send, clientGone.signal)));
        controller.close();
      } catch (error) {
        // The spans record the error (or the abort) either way.
        if (clientGone.signal.aborted) {
          console.log("client disconnected: LLM call aborted");
        } else {
          console.error("chat failed:", error);
          controller.error(error);
        }
      } finally {
        // The response has ended: send this request's spans now, while the server keeps running
        // (the SDK's own flush at exit would only come when the process ends).
        await telemetry.flush();
      }
    },
    cancel() {
      clientGone.abort();
    },
  });
  return new Response(body, { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-cache" } });
}

const server = Deno.serve({ hostname: "127.0.0.1", port, onListen: ({ port }) => console.log(`Listening on http://127.0.0.1:${port}`) }, async (request) => {
  const { pathname } = new URL(request.url);
  if (pathname !== "/api/chat") return new Response('POST /api/chat with {"message": "…"}\n', { status: 404 });
  if (request.method !== "POST") return new Response("use POST\n", { status: 405, headers: { allow: "POST" } });
  const input = await request.json().catch(() => undefined);
  if (typeof input?.message !== "string" || input.message === "") {
    return new Response('send JSON {"message": "…"}\n', { status: 400 });
  }
  return chat(input.message);
});

// Ctrl-C: stop taking requests, deliver what is left, then exit.
Deno.addSignalListener("SIGINT", async () => {
  await server.shutdown();
  await mock?.close();
  await telemetry.shutdown();
  Deno.exit(0);
});
