/**
 * An LLM call that streams (`stream: true`) but whose stream is never iterated — the app checks a
 * condition and drops it, or aborts with `stream.controller.abort()` — leaves its span open forever
 * (llm-call.ts: tapStream only ends the span from inside the tapped iterator; the responsePromise
 * handler ends it only when `!promise.parsedPromise`). The request was made and billed, but the
 * span is never exported and nothing says so. It should end when the stream is aborted (the
 * client's AbortController signal) or at the latest be exported as unfinished on flush.
 */
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { RespanTelemetry } from "../../src/runtime/node.js";
import { mockLlm } from "../helpers/mock-llm.js";
import { onCleanup } from "../helpers/setup.js";
import { memoryExporter } from "./memory-exporter.js";

describe("an OpenAI stream that is created and then aborted without being read", () => {
  it("its openai.chat span is still exported", async () => {
    const llm = await mockLlm();
    const exporter = memoryExporter();
    const telemetry = new RespanTelemetry({ customExporter: exporter, env: {}, instrumentModules: { openai: OpenAI } });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    const openai = new OpenAI({ apiKey: "mock-key", baseURL: `${llm.url}/v1` });
    const stream = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: true });
    stream.controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await telemetry.flush();
    expect(exporter.names()).toContain("openai.chat");
  });
});
