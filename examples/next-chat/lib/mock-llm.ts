/**
 * A tiny stand-in for OpenAI's Chat Completions API (`POST /v1/chat/completions`, plain and
 * `stream: true`), so the example runs without a provider key and without network. It speaks the
 * real wire format (JSON, or server-sent `chat.completion.chunk` events ending in `[DONE]`), so the
 * real `openai` client parses it unchanged. Replies are deterministic: they echo the question.
 */
const MODEL = "gpt-4o-mini";

interface ChatRequest {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages?: Array<{ role: string; content?: unknown }>;
}

function replyTo(body: ChatRequest): string {
  const last = [...(body.messages ?? [])].reverse().find((m) => m.role === "user");
  const question = typeof last?.content === "string" ? last.content.trim().replace(/\s+/g, " ").slice(0, 120) : "";
  return `This is the mock LLM answering "${question}". Set OPENAI_API_KEY to ask the real one.`;
}

const countTokens = (text: string) => text.split(/\s+/).filter(Boolean).length;

function error(status: number, message: string): Response {
  return Response.json({ error: { message, type: "invalid_request_error", param: null, code: null } }, { status });
}

/** Answers one Chat Completions request; mount it anywhere, or pass it to OpenAI as `fetch`. */
export async function mockChatCompletions(request: Request): Promise<Response> {
  if (request.method !== "POST") return error(405, "use POST");
  let body: ChatRequest;
  try {
    body = (await request.json()) as ChatRequest;
  } catch {
    return error(400, "the request body is not valid JSON");
  }
  const id = `chatcmpl-mock${crypto.randomUUID().slice(0, 8)}`;
  const created = Math.floor(Date.now() / 1000);
  const model = body.model ?? MODEL;
  const text = replyTo(body);
  const prompt = (body.messages ?? []).map((m) => (typeof m.content === "string" ? m.content : "")).join(" ");
  const usage = { prompt_tokens: countTokens(prompt), completion_tokens: countTokens(text), total_tokens: countTokens(prompt) + countTokens(text) };

  if (!body.stream) {
    const message = { role: "assistant", content: text, refusal: null };
    return Response.json({ id, object: "chat.completion", created, model, choices: [{ index: 0, message, logprobs: null, finish_reason: "stop" }], usage });
  }
  const includeUsage = body.stream_options?.include_usage === true;
  const chunk = (choices: unknown[], extra: object = {}) => ({ id, object: "chat.completion.chunk", created, model, choices, ...(includeUsage ? { usage: null } : {}), ...extra });
  const delta = (d: object, finish: string | null = null) => chunk([{ index: 0, delta: d, logprobs: null, finish_reason: finish }]);
  const events: unknown[] = [delta({ role: "assistant", content: "" })];
  for (const piece of text.match(/\S+\s*/g) ?? []) events.push(delta({ content: piece }));
  events.push(delta({}, "stop"));
  if (includeUsage) events.push(chunk([], { usage }));

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const event of events) {
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(event)}\n\n`));
        // A short pause between tokens, as a real provider streams them.
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      controller.enqueue(encoder.encode("data: [DONE]\n\n"));
      controller.close();
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
}
