import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

/** `telemetry.addProcessor(...)`: another destination for spans (SPEC §5). */
export interface ProcessorConfig {
  exporter: SpanExporter;
  /** Spans listing this name in `processors` go here. "default" is the Respan processor's name. */
  name?: string;
  /** Must also pass; alone (no name) it selects which unrouted spans come here. */
  filter?: (span: ReadableSpan) => boolean;
  /** Default: the telemetry's isBatchingEnabled. */
  isBatchingEnabled?: boolean;
}
