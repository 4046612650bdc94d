// A streaming (SSE) chat route handler as LLM apps write them: the real openai client streams
// from the (mock) provider while the response is already being sent, so its span ends after the
// headers. Shared by the nodejs and edge routes, which differ only in `runtime`.
import OpenAI from "openai";
import { withRespan } from "respan-tracing/next";
import { instrumentOpenAI } from "respan-tracing/openai";

instrumentOpenAI(OpenAI);

export const POST = withRespan(async (request) => {
  const { prompt } = await request.json();
  const openai = new OpenAI({ apiKey: "mock-key", baseURL: `${process.env.TEST_LLM_URL}/v1`, maxRetries: 0 });
  const stream = await openai.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: prompt }],
    stream: true,
    stream_options: { include_usage: true },
  });
  const encoder = new TextEncoder();
  const body = new ReadableStream({
    async start(controller) {
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta?.content;
        if (delta) controller.enqueue(encoder.encode(`data: ${JSON.stringify(delta)}\n\n`));
      }
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
});
