/** An in-memory SpanExporter for the probe tests: records every batch it is given. */
import { ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

export interface MemoryExporter extends SpanExporter {
  spans: ReadableSpan[];
  batches: ReadableSpan[][];
  names(): string[];
}

export function memoryExporter(): MemoryExporter {
  const exporter: MemoryExporter = {
    spans: [],
    batches: [],
    names: () => exporter.spans.map((s) => s.name),
    export(batch, done) {
      exporter.batches.push([...batch]);
      exporter.spans.push(...batch);
      done({ code: ExportResultCode.SUCCESS });
    },
    shutdown: async () => undefined,
  };
  return exporter;
}
