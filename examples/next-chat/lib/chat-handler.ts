/**
 * POST {"message": "…"} → the answer as server-sent events (`data: {"text":"…"}` per token, then
 * `data: [DONE]`). Shared by /api/chat (runtime "nodejs") and /api/chat-edge (runtime "edge").
 *
 * withRespan gives the request its root span, continuing the page's trace from its `traceparent`
 * header, and exports the spans through `after()` once the streamed answer has ended. The
 * instrumented openai client adds `openai.chat` under it, open until the last token.
 */
import type OpenAI from "openai";
import { withRespan } from "respan-tracing/next";
import { model, openai } from "./llm";

function eventStream(completion: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunks = completion[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    // Reads until there is text to send: some chunks carry none (the opening role, the usage).
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

export const POST = withRespan(async (request: Request) => {
  const body = (await request.json().catch(() => null)) as { message?: unknown } | null;
  const message = body?.message;
  if (typeof message !== "string" || message.trim() === "") {
    return Response.json({ error: 'POST JSON like {"message": "What is tracing?"}' }, { status: 400 });
  }
  try {
    const completion = await openai().chat.completions.create({
      model: model(),
      messages: [
        { role: "system", content: "You are a helpful assistant. Answer in two sentences at most." },
        { role: "user", content: message },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    return new Response(eventStream(completion), { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
  } catch (error) {
    // Failed before the first token (bad key, rate limit): the span has the details.
    return Response.json({ error: `the LLM call failed: ${(error as Error).message}` }, { status: 502 });
  }
});
