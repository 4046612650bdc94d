/**
 * Stand-ins the Python README's examples define for themselves (FileExporter, DirectLoggingExporter,
 * …), written as OpenTelemetry JS SpanExporters, and the clients of the loopback mock LLM.
 */
import { appendFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { withTask, type RespanOptions } from "../../src/runtime/node.js";
import { mockLlm } from "../helpers/mock-llm.js";
import { tracedWithReceiver } from "../helpers/setup.js";

/** Python's `export(spans) -> SpanExportResult` is `export(spans, resultCallback)` in OpenTelemetry JS. */
export class MemoryExporter implements SpanExporter {
  readonly spans: ReadableSpan[] = [];
  /** How many times export() was called (one per batch; one per span without batching). */
  calls = 0;
  constructor(private readonly onExport?: (spans: ReadableSpan[]) => void) {}
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.calls++;
    this.spans.push(...spans);
    this.onExport?.(spans);
    done({ code: ExportResultCode.SUCCESS });
  }
  get names(): string[] {
    return this.spans.map((span) => span.name);
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** The README's FileExporter: appends each span's name as a line to a file. */
export class FileExporter implements SpanExporter {
  readonly path: string;
  constructor(fileName = "spans.json") {
    this.path = join(mkdtempSync(join(tmpdir(), "respan-parity-")), fileName);
  }
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    for (const span of spans) appendFileSync(this.path, `${span.name}\n`);
    done({ code: ExportResultCode.SUCCESS });
  }
  /** The span names written so far. */
  lines(): string[] {
    try {
      return readFileSync(this.path, "utf8").split("\n").filter(Boolean);
    } catch {
      return [];
    }
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The real openai and @anthropic-ai/sdk clients, talking to the loopback mock provider. */
export async function llmClients(): Promise<{ openai: OpenAI; anthropic: Anthropic; requests: Array<{ path: string; body: any }> }> {
  const llm = await mockLlm();
  return {
    openai: new OpenAI({ apiKey: "mock-key", baseURL: `${llm.url}/v1` }),
    anthropic: new Anthropic({ apiKey: "mock-key", baseURL: llm.url }),
    requests: llm.requests,
  };
}

/** Parses a span's JSON attribute (traceloop.entity.input / output, respan.metadata). */
export function json(value: unknown): any {
  return JSON.parse(String(value));
}

/** How long a partial batch waits before it is sent (the processor's default delay). */
export const BATCH_DELAY_MS = 1000;

/** A task making an OpenAI call, an Anthropic call and a plain fetch; the span names exported, sorted (fetch spans as "fetch"). */
export async function spanNamesOfEveryCall(options: RespanOptions): Promise<string[]> {
  const { openai, anthropic } = await llmClients();
  const { telemetry, receiver } = await tracedWithReceiver({ instrumentModules: { openai: OpenAI, anthropic: Anthropic }, ...options });
  await withTask({ name: "work" }, async () => {
    await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    await anthropic.messages.create({ model: "claude-haiku-4-5", max_tokens: 10, messages: [{ role: "user", content: "hi" }] });
    await (await fetch(`${receiver.url}/health`)).text();
  });
  await telemetry.flush();
  return receiver.spans.map((span) => (span.name.startsWith("GET ") ? "fetch" : span.name)).sort();
}
