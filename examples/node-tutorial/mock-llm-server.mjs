/**
 * A tiny mock LLM provider on the loopback interface, for the tutorial and for tests.
 *
 * It speaks the real wire formats, so the real `openai` and `@anthropic-ai/sdk` clients work
 * against it unchanged:
 *
 *   new OpenAI({ apiKey: "mock-key", baseURL: `${url}/v1` })   // the SDK appends /chat/completions, ...
 *   new Anthropic({ apiKey: "mock-key", baseURL: url })        // the SDK appends /v1/messages
 *
 * Endpoints: POST /v1/chat/completions, /v1/embeddings, /v1/responses (OpenAI) and
 * POST /v1/messages (Anthropic), each with and without `stream: true` where the API has it.
 * Replies and token counts are deterministic: they depend only on the request.
 *
 * Run it on its own with `node examples/node-tutorial/mock-llm-server.mjs [--port N]`.
 * No dependencies beyond node:http.
 */
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";

const DEFAULT_OPENAI_MODEL = "gpt-4o-mini";
const DEFAULT_ANTHROPIC_MODEL = "claude-haiku-4-5";
const EMBEDDING_DIMENSIONS = 8;

/**
 * Starts the server. `port: 0` (the default) picks a free port.
 * @returns {Promise<{ url: string, port: number, requests: { path: string, body: unknown }[], close: () => Promise<void> }>}
 */
export async function startMockLlmServer({ port = 0 } = {}) {
  const requests = [];
  let nextId = 1;
  const newId = (prefix) => `${prefix}${String(nextId++).padStart(6, "0")}mock`;

  const server = createServer((req, res) => {
    // Browsers may call it too (the browser tests do): allow any page, echoing the asked headers.
    res.setHeader("access-control-allow-origin", "*");
    res.setHeader("access-control-expose-headers", "*");
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        "access-control-allow-methods": "POST, GET, OPTIONS",
        "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "*",
        "access-control-max-age": "600",
      });
      res.end();
      return;
    }
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      handle(req, res, Buffer.concat(chunks).toString("utf8")).catch((error) => {
        if (!res.headersSent) sendError(req, res, 500, "api_error", `mock server error: ${error?.message ?? error}`);
        else res.end();
      });
    });
  });

  async function handle(req, res, raw) {
    const path = (req.url ?? "/").split("?")[0];
    let body = null;
    if (raw !== "") {
      try {
        body = JSON.parse(raw);
      } catch {
        requests.push({ path, body: raw });
        return sendError(req, res, 400, "invalid_request_error", "the request body is not valid JSON");
      }
    }
    requests.push({ path, body });
    const route = ROUTES[path];
    if (!route) return sendError(req, res, 404, "not_found_error", `no such endpoint: ${req.method} ${path}`);
    if (req.method !== "POST") return sendError(req, res, 405, "invalid_request_error", `${req.method} is not allowed on ${path}; use POST`);
    if (!body || typeof body !== "object" || Array.isArray(body)) {
      return sendError(req, res, 400, "invalid_request_error", "the request body must be a JSON object");
    }
    await route(body, res, newId);
  }

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  let closing;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    requests,
    close() {
      closing ??= new Promise((resolve) => {
        server.close(() => resolve());
        // SDK clients keep connections alive; drop them so close() resolves at once.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

const ROUTES = {
  "/v1/chat/completions": chatCompletions,
  "/v1/embeddings": embeddings,
  "/v1/responses": responses,
  "/v1/messages": anthropicMessages,
};

// ---------------------------------------------------------------------------------------------
// Reply text: deterministic, derived from the last user message, so the tutorial reads sensibly.

const JOKE = "Why did the span go to therapy? It just couldn't let go of its parent!";

const PIRATE_WORDS = {
  the: "th'",
  of: "o'",
  to: "t'",
  you: "ye",
  your: "yer",
  my: "me",
  is: "be",
  are: "be",
  and: "an'",
  for: "fer",
  hello: "ahoy",
  hi: "ahoy",
  friend: "matey",
  friends: "mateys",
  yes: "aye",
  just: "jus'",
};

function piratify(text) {
  const translated = text.replace(/[A-Za-z']+/g, (word) => {
    const pirate = PIRATE_WORDS[word.toLowerCase()];
    if (!pirate) return word;
    return word[0] === word[0].toUpperCase() ? pirate[0].toUpperCase() + pirate.slice(1) : pirate;
  });
  const trimmed = translated.trim();
  return `${trimmed}${/[.!?]$/.test(trimmed) ? "" : "!"} Arrr!`;
}

/** What comes after the instruction: the text after the first blank line, else after the first colon. */
function payloadOf(prompt) {
  const blank = prompt.indexOf("\n\n");
  if (blank !== -1) return prompt.slice(blank + 2).trim();
  const colon = prompt.indexOf(":");
  return colon !== -1 ? prompt.slice(colon + 1).trim() : prompt.trim();
}

export function replyFor(prompt) {
  const p = prompt.toLowerCase();
  if (p.includes("pirate") && (p.includes("translate") || p.includes("translation"))) return piratify(payloadOf(prompt) || JOKE);
  if (p.includes("signature")) return "-- Cap'n Span, Scourge o' the Seven Servers";
  if (p.includes("laugh") || p.includes("funny")) return "Hahahahaha! That one had the whole crew rollin' on the deck!";
  if (p.includes("applaud") || p.includes("clap")) return "*clap* *clap* *clap* Bravo, Cap'n! Encore!";
  if (p.includes("comment") && (p.includes("read") || p.includes("summar"))) {
    return 'Comments from the crew: "Best joke on the seven seas!" (Polly), "Laughed so hard I dropped me hook." (One-Eyed Jack)';
  }
  if (p.includes("comment")) return "What did ye think o' that joke, mateys? Leave yer comments below!";
  if (p.includes("joke")) return JOKE;
  const quoted = prompt.trim().replace(/\s+/g, " ").slice(0, 80);
  return quoted ? `Aye aye! Ye said: "${quoted}"` : "Aye aye!";
}

function countTokens(text) {
  const words = String(text ?? "").trim().split(/\s+/).filter(Boolean);
  return words.length;
}

/** Splits text into several stream deltas (word by word, a few words each), keeping whitespace. */
function splitIntoDeltas(text, wordsPerDelta = 3) {
  const pieces = text.match(/\S+\s*/g) ?? [text];
  const out = [];
  for (let i = 0; i < pieces.length; i += wordsPerDelta) out.push(pieces.slice(i, i + wordsPerDelta).join(""));
  return out.length ? out : [""];
}

function textOfContent(content) {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => {
      if (typeof part === "string") return part;
      if (part && typeof part.text === "string") return part.text; // text, input_text, output_text
      if (part && part.type === "tool_result") return textOfContent(part.content);
      return "";
    })
    .filter(Boolean)
    .join("\n");
}

const now = () => Math.floor(Date.now() / 1000);

// ---------------------------------------------------------------------------------------------
// HTTP helpers

function sendJson(res, status, payload, headers = {}) {
  const text = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function isAnthropicRequest(req) {
  return req.headers["anthropic-version"] !== undefined || (req.url ?? "").startsWith("/v1/messages");
}

/** An error in the shape of the provider the request came from. */
function sendError(req, res, status, type, message) {
  if (isAnthropicRequest(req)) {
    sendJson(res, status, { type: "error", error: { type, message }, request_id: "req_mock" }, { "request-id": "req_mock" });
  } else {
    const openaiType = type === "not_found_error" ? "invalid_request_error" : type;
    const code = status === 404 ? "unknown_url" : null;
    sendJson(res, status, { error: { message, type: openaiType, param: null, code } });
  }
}

function startSse(res) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
}

/** Lets each event go out as its own chunk, as a real provider's would. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

async function writeData(res, payload) {
  res.write(`data: ${typeof payload === "string" ? payload : JSON.stringify(payload)}\n\n`);
  await tick();
}

async function writeEvent(res, event, payload) {
  res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
  await tick();
}

// ---------------------------------------------------------------------------------------------
// OpenAI: chat completions

function lastChatUserText(messages) {
  const list = Array.isArray(messages) ? messages : [];
  for (let i = list.length - 1; i >= 0; i--) if (list[i]?.role === "user") return textOfContent(list[i].content);
  return "";
}

function chatPromptTokens(messages) {
  return (Array.isArray(messages) ? messages : []).reduce((sum, m) => sum + countTokens(textOfContent(m?.content)), 0);
}

/** With `tools` (and tool_choice not "none"), the first reply to a user message is a call of the first tool. */
function plannedToolCall(body, newId) {
  const tools = Array.isArray(body.tools) ? body.tools.filter((t) => t?.type === "function" && t.function?.name) : [];
  if (!tools.length || body.tool_choice === "none") return undefined;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  if (messages.at(-1)?.role !== "user") return undefined;
  const forced = body.tool_choice?.function?.name;
  const tool = tools.find((t) => t.function.name === forced) ?? tools[0];
  const prompt = lastChatUserText(messages);
  const args = {};
  const properties = tool.function.parameters?.properties ?? {};
  const required = tool.function.parameters?.required ?? Object.keys(properties);
  for (const key of required) {
    const type = properties[key]?.type;
    args[key] = type === "number" || type === "integer" ? countTokens(prompt) : type === "boolean" ? true : prompt;
  }
  return { id: newId("call_"), type: "function", function: { name: tool.function.name, arguments: JSON.stringify(args) } };
}

function chatReplyText(body) {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = messages.at(-1);
  if (last?.role === "tool") return `Here is what the tool found: ${textOfContent(last.content)}`;
  return replyFor(lastChatUserText(messages));
}

async function chatCompletions(body, res, newId) {
  const model = body.model ?? DEFAULT_OPENAI_MODEL;
  const id = newId("chatcmpl-");
  const created = now();
  const toolCall = plannedToolCall(body, newId);
  const text = toolCall ? null : chatReplyText(body);
  const promptTokens = chatPromptTokens(body.messages);
  const completionTokens = toolCall ? countTokens(toolCall.function.arguments) : countTokens(text);
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
  const finishReason = toolCall ? "tool_calls" : "stop";

  if (!body.stream) {
    const message = { role: "assistant", content: text, refusal: null, annotations: [] };
    if (toolCall) message.tool_calls = [toolCall];
    return sendJson(res, 200, {
      id,
      object: "chat.completion",
      created,
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
      usage,
      service_tier: "default",
      system_fingerprint: "fp_mock",
    });
  }

  const includeUsage = body.stream_options?.include_usage === true;
  const chunk = (choices, extra = {}) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model,
    service_tier: "default",
    system_fingerprint: "fp_mock",
    choices,
    ...(includeUsage ? { usage: null } : {}),
    ...extra,
  });
  const deltaChunk = (delta, finish = null) => chunk([{ index: 0, delta, logprobs: null, finish_reason: finish }]);
  startSse(res);
  if (toolCall) {
    const { name, arguments: args } = toolCall.function;
    const opening = { index: 0, id: toolCall.id, type: "function", function: { name, arguments: "" } };
    await writeData(res, deltaChunk({ role: "assistant", content: null, tool_calls: [opening], refusal: null }));
    const half = Math.ceil(args.length / 2);
    for (const piece of [args.slice(0, half), args.slice(half)]) {
      if (piece) await writeData(res, deltaChunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
    }
  } else {
    await writeData(res, deltaChunk({ role: "assistant", content: "", refusal: null }));
    for (const piece of splitIntoDeltas(text)) await writeData(res, deltaChunk({ content: piece }));
  }
  await writeData(res, deltaChunk({}, finishReason));
  if (includeUsage) await writeData(res, chunk([], { usage }));
  await writeData(res, "[DONE]");
  res.end();
}

// ---------------------------------------------------------------------------------------------
// OpenAI: embeddings

function embeddingOf(text) {
  // FNV-1a per dimension: deterministic, different texts get different vectors.
  const vector = [];
  for (let d = 0; d < EMBEDDING_DIMENSIONS; d++) {
    let hash = 2166136261 ^ d;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 16777619) >>> 0;
    }
    vector.push(Math.round(((hash / 0xffffffff) * 2 - 1) * 1e6) / 1e6);
  }
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0)) || 1;
  return vector.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}

async function embeddings(body, res) {
  const model = body.model ?? "text-embedding-3-small";
  const inputs = Array.isArray(body.input) && body.input.every((x) => typeof x === "string") ? body.input : [body.input];
  const texts = inputs.map((x) => (typeof x === "string" ? x : JSON.stringify(x ?? "")));
  const tokens = texts.reduce((sum, t) => sum + countTokens(t), 0);
  const data = texts.map((text, index) => {
    const vector = embeddingOf(text);
    return {
      object: "embedding",
      index,
      embedding: body.encoding_format === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector,
    };
  });
  sendJson(res, 200, { object: "list", data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

// ---------------------------------------------------------------------------------------------
// OpenAI: responses

function responsesPrompt(body) {
  if (typeof body.input === "string") return { last: body.input, all: [body.instructions ?? "", body.input] };
  const items = Array.isArray(body.input) ? body.input : [];
  const all = [body.instructions ?? "", ...items.map((item) => textOfContent(item?.content))];
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item && (item.role === "user" || (item.type === "message" && item.role === "user"))) return { last: textOfContent(item.content), all };
  }
  return { last: "", all };
}

function responseObject(body, id, createdAt, status, output, usage) {
  return {
    id,
    object: "response",
    created_at: createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: body.model ?? DEFAULT_OPENAI_MODEL,
    output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    service_tier: "default",
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: "text" } },
    tool_choice: body.tool_choice ?? "auto",
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? "disabled",
    usage,
    user: body.user ?? null,
    metadata: body.metadata ?? {},
  };
}

async function responses(body, res, newId) {
  const id = newId("resp_");
  const itemId = newId("msg_");
  const createdAt = now();
  const { last, all } = responsesPrompt(body);
  const text = replyFor(last);
  const inputTokens = all.reduce((sum, t) => sum + countTokens(t), 0);
  const outputTokens = countTokens(text);
  const usage = {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: inputTokens + outputTokens,
  };
  const part = { type: "output_text", text, annotations: [], logprobs: [] };
  const message = { type: "message", id: itemId, status: "completed", role: "assistant", content: [part] };

  if (!body.stream) return sendJson(res, 200, responseObject(body, id, createdAt, "completed", [message], usage));

  let sequence = 0;
  const send = (type, fields) => writeEvent(res, type, { type, sequence_number: sequence++, ...fields });
  startSse(res);
  await send("response.created", { response: responseObject(body, id, createdAt, "in_progress", [], null) });
  await send("response.in_progress", { response: responseObject(body, id, createdAt, "in_progress", [], null) });
  await send("response.output_item.added", { output_index: 0, item: { ...message, status: "in_progress", content: [] } });
  await send("response.content_part.added", { item_id: itemId, output_index: 0, content_index: 0, part: { ...part, text: "" } });
  for (const delta of splitIntoDeltas(text)) {
    await send("response.output_text.delta", { item_id: itemId, output_index: 0, content_index: 0, delta, logprobs: [] });
  }
  await send("response.output_text.done", { item_id: itemId, output_index: 0, content_index: 0, text, logprobs: [] });
  await send("response.content_part.done", { item_id: itemId, output_index: 0, content_index: 0, part });
  await send("response.output_item.done", { output_index: 0, item: message });
  await send("response.completed", { response: responseObject(body, id, createdAt, "completed", [message], usage) });
  res.end();
}

// ---------------------------------------------------------------------------------------------
// Anthropic: messages

function anthropicPrompt(body) {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const system = typeof body.system === "string" ? body.system : textOfContent(body.system);
  const all = [system, ...messages.map((m) => textOfContent(m?.content))];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== "user") continue;
    const results = Array.isArray(m.content) ? m.content.filter((c) => c?.type === "tool_result") : [];
    if (results.length) return { last: "", toolResult: textOfContent(results.map((r) => ({ type: "tool_result", content: r.content }))), all };
    return { last: textOfContent(m.content), all };
  }
  return { last: "", all };
}

function plannedToolUse(body, prompt, newId) {
  const tools = Array.isArray(body.tools) ? body.tools.filter((t) => t?.name && t.input_schema) : [];
  if (!tools.length || body.tool_choice?.type === "none" || prompt.toolResult !== undefined) return undefined;
  const tool = tools.find((t) => t.name === body.tool_choice?.name) ?? tools[0];
  const properties = tool.input_schema.properties ?? {};
  const input = {};
  for (const key of tool.input_schema.required ?? Object.keys(properties)) {
    const type = properties[key]?.type;
    input[key] = type === "number" || type === "integer" ? countTokens(prompt.last) : type === "boolean" ? true : prompt.last;
  }
  return { type: "tool_use", id: newId("toolu_"), name: tool.name, input };
}

async function anthropicMessages(body, res, newId) {
  const model = body.model ?? DEFAULT_ANTHROPIC_MODEL;
  const id = newId("msg_");
  const prompt = anthropicPrompt(body);
  const toolUse = plannedToolUse(body, prompt, newId);
  const text = prompt.toolResult !== undefined ? `Here is what the tool found: ${prompt.toolResult}` : replyFor(prompt.last);
  const content = toolUse ? [toolUse] : [{ type: "text", text }];
  const inputTokens = prompt.all.reduce((sum, t) => sum + countTokens(t), 0);
  const outputTokens = toolUse ? countTokens(JSON.stringify(toolUse.input)) : countTokens(text);
  const stopReason = toolUse ? "tool_use" : "end_turn";
  const usage = { input_tokens: inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: outputTokens, service_tier: "standard" };
  const headers = { "request-id": `req_${id.slice(4)}` };

  if (!body.stream) {
    return sendJson(res, 200, { id, type: "message", role: "assistant", model, content, stop_reason: stopReason, stop_sequence: null, usage }, headers);
  }

  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive", ...headers });
  await writeEvent(res, "message_start", {
    type: "message_start",
    message: { id, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
  });
  if (toolUse) {
    await writeEvent(res, "content_block_start", { type: "content_block_start", index: 0, content_block: { ...toolUse, input: {} } });
    await writeEvent(res, "ping", { type: "ping" });
    const json = JSON.stringify(toolUse.input);
    const half = Math.ceil(json.length / 2);
    for (const partial of [json.slice(0, half), json.slice(half)]) {
      if (partial) await writeEvent(res, "content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: partial } });
    }
  } else {
    await writeEvent(res, "content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
    await writeEvent(res, "ping", { type: "ping" });
    for (const piece of splitIntoDeltas(text)) {
      await writeEvent(res, "content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: piece } });
    }
  }
  await writeEvent(res, "content_block_stop", { type: "content_block_stop", index: 0 });
  await writeEvent(res, "message_delta", {
    type: "message_delta",
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: outputTokens },
  });
  await writeEvent(res, "message_stop", { type: "message_stop" });
  res.end();
}

// ---------------------------------------------------------------------------------------------
// `node mock-llm-server.mjs [--port N]`: serve until killed.

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flag = process.argv.indexOf("--port");
  const port = Number(flag !== -1 ? process.argv[flag + 1] : (process.env.PORT ?? 0)) || 0;
  const server = await startMockLlmServer({ port });
  console.log(`mock LLM server listening on ${server.url}`);
  console.log(`  OpenAI:    new OpenAI({ apiKey: "mock-key", baseURL: "${server.url}/v1" })`);
  console.log(`  Anthropic: new Anthropic({ apiKey: "mock-key", baseURL: "${server.url}" })`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
