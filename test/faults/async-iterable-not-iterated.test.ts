/**
 * SPEC §3: "A function that returns a ReadableStream or an async iterable keeps its span open until
 * the stream is fully consumed, errors or is cancelled." entity-span.ts settle() wraps ANY
 * async-iterable result in a Proxy (stream-tracking.ts trackAsyncIterable) whose span ends only
 * when iteration goes through that Proxy's iterator. Many everyday objects are async-iterable but
 * are consumed some other way, and then the span never ends and is never exported — silently:
 *   - a Node Readable consumed with pipe()/pipeline() or 'data' events;
 *   - Anthropic's MessageStream consumed with `await stream.finalMessage()` (the documented way);
 *   - (also MongoDB cursors with toArray(), readline interfaces, …).
 * And a re-iterable async iterable (a fresh iterator per `for await`) becomes one-shot: the second
 * loop sees nothing — the wrapper changes what the app computes.
 */
import Anthropic from "@anthropic-ai/sdk";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { RespanTelemetry, task } from "../../src/runtime/node.js";
import { mockLlm } from "../helpers/mock-llm.js";
import { onCleanup } from "../helpers/setup.js";
import { memoryExporter } from "./memory-exporter.js";

function setup(options = {}) {
  const exporter = memoryExporter();
  const telemetry = new RespanTelemetry({ customExporter: exporter, env: {}, ...options });
  onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
  return { exporter, telemetry };
}

describe("a wrapped function returning an async-iterable object that is consumed without for-await", () => {
  it("a Node Readable piped to a Writable: the span is exported", async () => {
    const { exporter, telemetry } = setup();
    const readRows = task({ name: "read_rows" }, () => Readable.from(["a\n", "b\n", "c\n"]));
    const written: string[] = [];
    await pipeline(readRows(), new Writable({ write: (chunk, _enc, done) => (written.push(String(chunk)), done()) }));
    expect(written).toEqual(["a\n", "b\n", "c\n"]);
    await telemetry.flush();
    expect(exporter.names()).toContain("read_rows.task");
  });

  it("Anthropic messages.stream() consumed with finalMessage(): the task span is exported", async () => {
    const llm = await mockLlm();
    const { exporter, telemetry } = setup({ instruments: new Set() });
    const anthropic = new Anthropic({ apiKey: "mock-key", baseURL: llm.url });
    const tellStory = task({ name: "tell_story" }, () =>
      anthropic.messages.stream({ model: "claude-haiku-4-5", max_tokens: 100, messages: [{ role: "user", content: "a joke" }] }),
    );
    const message = await tellStory().finalMessage();
    expect(message.content.length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await telemetry.flush();
    expect(exporter.names()).toContain("tell_story.task");
  });
});

describe("a wrapped function returning a re-iterable async iterable", () => {
  it("can still be iterated twice, as without the wrapper", async () => {
    setup();
    const numbers = {
      async *[Symbol.asyncIterator]() {
        yield 1;
        yield 2;
      },
    };
    const result = task({ name: "numbers" }, () => numbers)();
    const first: number[] = [];
    for await (const n of result) first.push(n);
    const second: number[] = [];
    for await (const n of result) second.push(n);
    expect(first).toEqual([1, 2]);
    expect(second).toEqual([1, 2]);
  });
});
