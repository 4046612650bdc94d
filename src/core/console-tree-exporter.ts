import { ExportResultCode, hrTimeToMilliseconds, type ExportResult } from "@opentelemetry/core";
import { SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

export interface ConsoleTreeOptions {
  /** Where lines go. Default: console.log. */
  write?: (line: string) => void;
  /** Attribute keys shown after a span's name. Default: the model of LLM spans. */
  showAttributes?: string[];
}

/**
 * A SpanExporter that prints each trace as an indented tree once its root span has ended, e.g.
 * `└─ joke_workflow.workflow  812 ms`. For development and the examples.
 * @example
 * telemetry.addProcessor({ exporter: new ConsoleTreeExporter(), filter: () => true });
 */
export class ConsoleTreeExporter implements SpanExporter {
  private readonly pending = new Map<string, ReadableSpan[]>();
  private readonly write: (line: string) => void;
  private readonly shown: string[];

  constructor(options: ConsoleTreeOptions = {}) {
    this.write = options.write ?? ((line) => console.log(line));
    this.shown = options.showAttributes ?? ["gen_ai.request.model"];
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    for (const span of spans) {
      const traceId = span.spanContext().traceId;
      const list = this.pending.get(traceId) ?? [];
      list.push(span);
      this.pending.set(traceId, list);
      if (!span.parentSpanContext || span.parentSpanContext.isRemote) this.print(traceId);
    }
    done({ code: ExportResultCode.SUCCESS });
  }

  /** Prints traces whose root has not ended (yet), so nothing stays unseen. */
  forceFlush(): Promise<void> {
    for (const traceId of [...this.pending.keys()]) this.print(traceId);
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.forceFlush();
  }

  private print(traceId: string): void {
    const spans = this.pending.get(traceId);
    if (!spans) return;
    this.pending.delete(traceId);
    const ids = new Set(spans.map((span) => span.spanContext().spanId));
    const children = new Map<string | undefined, ReadableSpan[]>();
    for (const span of spans) {
      const parentId = span.parentSpanContext?.spanId;
      const key = parentId && ids.has(parentId) ? parentId : undefined;
      children.set(key, [...(children.get(key) ?? []), span]);
    }
    for (const list of children.values()) list.sort((a, b) => hrTimeToMilliseconds(a.startTime) - hrTimeToMilliseconds(b.startTime));
    this.write(`trace ${traceId} (${spans.length} span${spans.length === 1 ? "" : "s"})`);
    const walk = (parentId: string | undefined, prefix: string) => {
      const list = children.get(parentId) ?? [];
      list.forEach((span, index) => {
        const last = index === list.length - 1;
        this.write(`${prefix}${last ? "└─ " : "├─ "}${this.describe(span)}`);
        walk(span.spanContext().spanId, prefix + (last ? "   " : "│  "));
      });
    };
    walk(undefined, "");
  }

  private describe(span: ReadableSpan): string {
    const ms = Math.round(hrTimeToMilliseconds(span.duration));
    const extras = this.shown.filter((key) => span.attributes[key] !== undefined).map((key) => `${key}=${String(span.attributes[key])}`);
    const error = span.status.code === SpanStatusCode.ERROR ? `  ERROR ${span.status.message ?? ""}`.trimEnd() : "";
    return [span.name, `${ms} ms`, ...extras].join("  ") + error;
  }
}
