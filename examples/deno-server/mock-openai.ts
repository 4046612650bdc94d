/**
 * A stand-in for the OpenAI API on 127.0.0.1 (a free port), so the example runs with no key and
 * no network. It answers POST /v1/chat/completions in the real wire format, streamed (server-sent
 * events, ending with `data: [DONE]`) or not, so the real `openai` client works against it.
 */
const encoder = new TextEncoder();

/** Starts the mock; use `baseURL: \`${url}/v1\`` for the OpenAI client. */
export function startMockOpenAI(): { url: string; close(): Promise<void> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const { pathname } = new URL(request.url);
    if (request.method !== "POST" || pathname !== "/v1/chat/completions") {
      return Response.json({ error: { message: `no such endpoint: ${request.method} ${pathname}`, type: "invalid_request_error" } }, { status: 404 });
    }
    const body = await request.json();
    const question = String(body.messages?.at(-1)?.content ?? "");
    const words = `You said: "${question}". This answer comes from the mock LLM, word by word.`.split(/(?<= )/);
    const usage = { prompt_tokens: question.split(/\s+/).length, completion_tokens: words.length, total_tokens: question.split(/\s+/).length + words.length };
    const base = { id: `chatcmpl-mock${Date.now()}`, created: Math.floor(Date.now() / 1000), model: body.model };
    if (!body.stream) {
      const message = { role: "assistant", content: words.join("") };
      return Response.json({ ...base, object: "chat.completion", choices: [{ index: 0, message, finish_reason: "stop" }], usage });
    }
    const chunk = (choices: unknown[], extra = {}) => `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices, ...extra })}\n\n`;
    const events = [
      chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]),
      ...words.map((word) => chunk([{ index: 0, delta: { content: word }, finish_reason: null }])),
      chunk([{ index: 0, delta: {}, finish_reason: "stop" }]),
      ...(body.stream_options?.include_usage ? [chunk([], { usage })] : []),
      "data: [DONE]\n\n",
    ];
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = events.shift();
        if (next === undefined) return controller.close();
        await new Promise((resolve) => setTimeout(resolve, 5)); // a little latency, like a real model
        controller.enqueue(encoder.encode(next));
      },
    });
    return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}
