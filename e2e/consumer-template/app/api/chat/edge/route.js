// A streaming (SSE) chat route, as LLM apps write them; its "LLM" span ends after the response started.
import { withTask } from "respan-tracing";
import { withRespan } from "respan-tracing/next";

export const runtime = "edge";
export const dynamic = "force-dynamic";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const POST = withRespan(async (request) => {
  const { prompt } = await request.json();
  const encoder = new TextEncoder();
  const body = new ReadableStream({
    async start(controller) {
      await withTask({ name: "llm_stream" }, async () => {
        for (const word of ["Ahoy", " ", prompt]) {
          controller.enqueue(encoder.encode(`data: ${word}\n\n`));
          await sleep(20);
        }
      });
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
});
