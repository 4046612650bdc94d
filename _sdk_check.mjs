import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { startMockLlmServer } from "./examples/node-tutorial/mock-llm-server.mjs";
const s = await startMockLlmServer();
const openai = new OpenAI({ apiKey: "mock-key", baseURL: `${s.url}/v1`, maxRetries: 0 });
const anthropic = new Anthropic({ apiKey: "mock-key", baseURL: s.url, maxRetries: 0 });
const log = (...a) => console.log(...a);
// chat plain
const c = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Tell me a joke about opentelemetry" }] });
log("chat:", c.choices[0].message.content, c.usage);
// chat stream with usage
const st = await openai.chat.completions.create({ model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "Translate to pirate:\n\nHello my friend, you are the best" }] });
let txt = "", n = 0, usage, fin;
for await (const ch of st) { n++; if (ch.usage) usage = ch.usage; for (const ch0 of ch.choices) { txt += ch0.delta.content ?? ""; if (ch0.finish_reason) fin = ch0.finish_reason; } }
log("chat stream:", n, "chunks", JSON.stringify(txt), fin, usage);
// chat stream helper
const helper = openai.chat.completions.stream({ model: "gpt-4o-mini", stream_options: { include_usage: true }, messages: [{ role: "user", content: "Tell me a joke" }] });
const fc = await helper.finalChatCompletion();
log("chat .stream() final:", fc.choices[0].message.content, fc.usage);
// tools non-stream and stream
const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } }];
const t1 = await openai.chat.completions.create({ model: "gpt-4o-mini", tools, messages: [{ role: "user", content: "Paris" }] });
log("tool call:", JSON.stringify(t1.choices[0].message.tool_calls), t1.choices[0].finish_reason);
const t2 = await openai.chat.completions.stream({ model: "gpt-4o-mini", tools, messages: [{ role: "user", content: "Paris" }] }).finalChatCompletion();
log("tool call stream:", JSON.stringify(t2.choices[0].message.tool_calls));
const t3 = await openai.chat.completions.create({ model: "gpt-4o-mini", tools, messages: [{ role: "user", content: "Paris" }, t1.choices[0].message, { role: "tool", tool_call_id: t1.choices[0].message.tool_calls[0].id, content: "sunny" }] });
log("after tool:", t3.choices[0].message.content);
// embeddings
const e1 = await openai.embeddings.create({ model: "text-embedding-3-small", input: "hello" });
log("emb single:", e1.data.length, e1.data[0].embedding.length, e1.data[0].embedding.slice(0, 3), e1.usage);
const e2 = await openai.embeddings.create({ model: "text-embedding-3-small", input: ["a b", "c d e"] });
log("emb array:", e2.data.map((d) => [d.index, d.embedding.length]), e2.usage);
const e3 = await openai.embeddings.create({ model: "text-embedding-3-small", input: "hello" , encoding_format: undefined});
log("emb default (sdk base64?):", e3.data[0].embedding.slice(0,3));
// responses
const r1 = await openai.responses.create({ model: "gpt-4o-mini", input: "Tell me a joke" });
log("responses:", r1.output_text, r1.usage, r1.status);
const r2 = await openai.responses.create({ model: "gpt-4o-mini", input: [{ role: "user", content: [{ type: "input_text", text: "Tell me a joke" }] }], stream: true });
const types = []; for await (const ev of r2) types.push(ev.type + "#" + ev.sequence_number);
log("responses stream events:", types.join(" "));
const r3 = openai.responses.stream({ model: "gpt-4o-mini", input: "Tell me a joke" });
let deltas = 0; r3.on("response.output_text.delta", () => deltas++);
const r3f = await r3.finalResponse();
log("responses .stream() final:", deltas, "deltas;", r3f.output_text, r3f.usage.total_tokens);
// anthropic
const a1 = await anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 100, messages: [{ role: "user", content: "This joke is funny, laugh" }] });
log("anthropic:", a1.content[0].text, a1.usage, a1.stop_reason);
const a2 = await anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 100, stream: true, messages: [{ role: "user", content: "Read the comments" }] });
const at = []; let atxt = ""; for await (const ev of a2) { at.push(ev.type); if (ev.type === "content_block_delta") atxt += ev.delta.text; }
log("anthropic raw stream:", at.join(","), JSON.stringify(atxt));
const a3 = anthropic.messages.stream({ model: "claude-sonnet-4-5", max_tokens: 100, messages: [{ role: "user", content: "Tell me a joke" }] });
let texts = 0; a3.on("text", () => texts++);
const a3f = await a3.finalMessage();
log("anthropic .stream() final:", texts, "texts;", a3f.content[0].text, a3f.usage, a3f.stop_reason);
const atools = [{ name: "get_weather", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }];
const a4 = await anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 100, tools: atools, messages: [{ role: "user", content: "Paris" }] });
log("anthropic tool_use:", JSON.stringify(a4.content), a4.stop_reason);
const a5 = await anthropic.messages.stream({ model: "claude-sonnet-4-5", max_tokens: 100, tools: atools, messages: [{ role: "user", content: "Paris" }] }).finalMessage();
log("anthropic tool_use stream:", JSON.stringify(a5.content));
const a6 = await anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 100, tools: atools, messages: [{ role: "user", content: "Paris" }, { role: "assistant", content: a4.content }, { role: "user", content: [{ type: "tool_result", tool_use_id: a4.content[0].id, content: "sunny" }] }] });
log("anthropic after tool:", a6.content[0].text);
// errors
try { await openai.models.list(); } catch (e) { log("openai 404:", e.constructor.name, e.status, e.message); }
try { await anthropic.models.list(); } catch (e) { log("anthropic 404:", e.constructor.name, e.status, e.message); }
log("requests:", s.requests.length, s.requests.map((r) => r.path).join(" "));
await s.close();
log("closed");
