/**
 * "A Promise subclass (OpenAI's APIPromise, with withResponse()) is returned itself, observed
 * beside" (src/core/entity-span.ts settleThenable). Observing it calls `result.then(...)` at once;
 * APIPromise.then() runs parse(), which READS THE RESPONSE BODY. The caller's `asResponse()` — the
 * documented way to get the raw Response (e.g. to stream it on, or read headers and body) — then
 * gets a Response whose body is already consumed: `Body is unusable: Body has already been read`.
 * Same without the OpenAI instrumentation: it is the wrapper alone. (The LLM instrumentation
 * avoids it by hooking parseResponse/responsePromise, llm-call.ts.)
 */
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { Instruments, RespanTelemetry, task } from "../../src/runtime/node.js";
import { mockLlm } from "../helpers/mock-llm.js";
import { onCleanup } from "../helpers/setup.js";
import { memoryExporter } from "./memory-exporter.js";

const request = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "Tell me a joke" }] };

describe("an APIPromise returned through task()", () => {
  for (const instrumented of [true, false]) {
    it(`asResponse() still gives a readable body (OpenAI instrumentation ${instrumented ? "on" : "off"})`, async () => {
      const llm = await mockLlm();
      const exporter = memoryExporter();
      const telemetry = new RespanTelemetry({
        customExporter: exporter,
        env: {},
        ...(instrumented ? { instrumentModules: { openai: OpenAI } } : { blockInstruments: new Set([Instruments.OPENAI]) }),
      });
      onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
      const openai = new OpenAI({ apiKey: "mock-key", baseURL: `${llm.url}/v1` });
      const ask = task({ name: "ask" }, (question: string) => openai.chat.completions.create({ ...request, messages: [{ role: "user", content: question }] }));

      const response = await ask("Tell me a joke").asResponse();
      expect(response.status).toBe(200);
      const body = JSON.parse(await response.text());
      expect(body.choices.length).toBeGreaterThan(0);

      await telemetry.flush();
      expect(exporter.names()).toContain("ask.task");
    });
  }
});
