/**
 * An async wrapper returning an OpenAI Stream: runEntity hands back a Proxy (trackAsyncIterable,
 * src/core/stream-tracking.ts) whose methods are bound to the REAL stream ("so private fields keep
 * working"). `stream.toReadableStream()` (the usual way to answer a Next.js/Workers route with the
 * stream) and `stream.tee()` therefore iterate the real stream, never the tracked iterator: the
 * wrapper's span never ends and is never exported, and the LLM span below it is left pointing at
 * a parent that never arrives. Lost silently.
 */
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { RespanTelemetry, task } from "../../src/runtime/node.js";
import { mockLlm } from "../helpers/mock-llm.js";
import { onCleanup } from "../helpers/setup.js";
import { memoryExporter } from "./memory-exporter.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const request = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "hi" }], stream: true as const };

async function setup() {
  const llm = await mockLlm();
  const exporter = memoryExporter();
  const telemetry = new RespanTelemetry({ customExporter: exporter, env: {}, instrumentModules: { openai: OpenAI } });
  onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
  const openai = new OpenAI({ apiKey: "mock-key", baseURL: `${llm.url}/v1` });
  const generate = task({ name: "generate" }, async () => openai.chat.completions.create(request));
  return { exporter, telemetry, generate };
}

describe("an OpenAI Stream returned by an async wrapper, consumed without for-await on it", () => {
  it("toReadableStream(): the task span ends once the body was sent", async () => {
    const { exporter, telemetry, generate } = await setup();
    const stream = await generate();
    const text = await new Response(stream.toReadableStream()).text();
    expect(text.length).toBeGreaterThan(0);
    await sleep(50);
    await telemetry.flush();
    expect(exporter.names().sort()).toEqual(["generate.task", "openai.chat"]);
  });

  it("tee(): the task span ends once both branches were read", async () => {
    const { exporter, telemetry, generate } = await setup();
    const stream = await generate();
    const [left, right] = stream.tee();
    for await (const _ of left) void _;
    for await (const _ of right) void _;
    await sleep(50);
    await telemetry.flush();
    expect(exporter.names().sort()).toEqual(["generate.task", "openai.chat"]);
  });
});
