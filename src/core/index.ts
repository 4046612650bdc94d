/** The runtime-neutral public API; each src/runtime entry re-exports it with its RespanTelemetry. */
import { RespanClient } from "./client.js";
import { activeHost } from "./host.js";

const sharedClient = new RespanClient(activeHost);

/**
 * The client of the current RespanTelemetry instance; safe to call anywhere, even before one exists.
 * @example
 * getClient().updateCurrentSpan({ respanParams: { customer_identifier: "user-42" } });
 */
export function getClient(): RespanClient {
  return sharedClient;
}

export { RespanClient, type UpdateSpanOptions } from "./client.js";
export { withWorkflow, withTask, withAgent, withTool, workflow, task, agent, tool, type ClassEntityOptions, type EntityDecorator } from "./span-kinds.js";
export type { EntityOptions } from "./entity-span.js";
export { SpanLink, attachSpanLinks, type SpanLinkInit } from "./span-link.js";
export { SpanBuffer, type SpanBufferOptions, type CreateSpanOptions } from "./span-buffer.js";
export { serializeSpans, deserializeSpans } from "./span-serialization.js";
export { ConsoleTreeExporter, type ConsoleTreeOptions } from "./console-tree-exporter.js";
export { Instruments, type RespanOptions } from "./options.js";
export type { RespanParams } from "./respan-params.js";
export type { ProcessorConfig } from "./processor-config.js";
export type { RespanSpanExporterOptions } from "./respan-span-exporter.js";
export type { EntityFactory } from "./span-kinds.js";
export type { DeliveryStats } from "./queueing-processor.js";
export type { RetryPolicy } from "./retry-policy.js";
export { VERSION } from "./version.js";
