// LLM calls through the real openai and @anthropic-ai/sdk clients, the same in every runtime.
// The clients point at the loopback mock provider; spans go to the loopback receiver.
import Anthropic from "@anthropic-ai/sdk";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText } from "ai";
import OpenAI from "openai";
// As the README says for browsers, Workers and edge: these imports bring the patches into the
// bundle, and instrumentModules applies them (harmless on Node, which always carries them).
import "respan-tracing/openai";
import "respan-tracing/anthropic";

export async function runLlmCalls(sdk, { llmUrl, exportUrl, runtime, explicit }) {
  const report = {};
  const here = () => (explicit ? sdk.getClient().currentContext() : undefined);
  const clients = {
    openai: new OpenAI({ apiKey: "mock-key", baseURL: `${llmUrl}/v1`, dangerouslyAllowBrowser: true, maxRetries: 0 }),
    anthropic: new Anthropic({ apiKey: "mock-key", baseURL: llmUrl, dangerouslyAllowBrowser: true, maxRetries: 0 }),
  };
  const { openai, anthropic } = clients;
  const telemetry = new sdk.RespanTelemetry({ appName: `${runtime}:llm`, exportUrl, env: {}, instrumentModules: { openai: OpenAI, anthropic: Anthropic } });
  await sdk.withWorkflow({ name: "llm_calls" }, async () => {
    const wf = here();
    const chat = await sdk.withTask({ name: "ask_openai", context: wf }, () =>
      openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Tell me a joke" }], temperature: 0.3 }),
    );
    report.chat = { text: chat.choices[0].message.content, usage: chat.usage };
    report.stream = await sdk.withTask({ name: "stream_openai", context: wf }, async () => {
      const stream = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Tell me a joke" }], stream: true, stream_options: { include_usage: true } });
      let text = "";
      let usage;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? "";
        if (chunk.usage) usage = chunk.usage;
      }
      return { text, usage };
    });
    const embedding = await sdk.withTask({ name: "embed", context: wf }, () => openai.embeddings.create({ model: "text-embedding-3-small", input: "ahoy" }));
    report.embedding = { usage: embedding.usage };
    const message = await sdk.withTask({ name: "ask_anthropic", context: wf }, () =>
      anthropic.messages.create({ model: "claude-haiku-4-5", max_tokens: 100, messages: [{ role: "user", content: "Laugh at this joke" }] }),
    );
    report.message = { text: message.content[0].text, usage: message.usage };
    report.anthropicStream = await sdk.withTask({ name: "stream_anthropic", context: wf }, async () => {
      const stream = await anthropic.messages.create({ model: "claude-haiku-4-5", max_tokens: 100, messages: [{ role: "user", content: "Read the joke comments" }], stream: true });
      let text = "";
      for await (const event of stream) if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
      return { text };
    });
    // The Vercel AI SDK: its own spans, through our tracer (the one line users add).
    const provider = createOpenAI({ apiKey: "mock-key", baseURL: `${llmUrl}/v1` });
    const generated = await sdk.withTask({ name: "vercel_ai", context: wf }, () =>
      generateText({ model: provider("gpt-4o-mini"), prompt: "Tell me a joke", experimental_telemetry: { isEnabled: true, tracer: telemetry.getTracer() } }),
    );
    report.vercel = { text: generated.text };
  });
  await telemetry.shutdown();

  const quiet = new sdk.RespanTelemetry({ appName: `${runtime}:llm-quiet`, exportUrl, env: {}, traceContent: false, instrumentModules: { openai: OpenAI } });
  await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "a secret prompt" }] });
  await quiet.shutdown();
  return report;
}
