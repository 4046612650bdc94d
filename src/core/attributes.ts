/**
 * Attribute names the Respan backend parses. They follow the Traceloop convention that the
 * Python `respan-tracing` SDK writes, so spans from both SDKs look the same in the UI.
 */
export const SPAN_KIND = "traceloop.span.kind";
export const ENTITY_NAME = "traceloop.entity.name";
export const ENTITY_PATH = "traceloop.entity.path";
export const ENTITY_VERSION = "traceloop.entity.version";
export const ENTITY_INPUT = "traceloop.entity.input";
export const ENTITY_OUTPUT = "traceloop.entity.output";
export const WORKFLOW_NAME = "traceloop.workflow.name";

export const RESPAN_PROCESSORS = "respan.processors";
export const RESPAN_METADATA = "respan.metadata";
/** Set on spans made by `SpanBuffer.createSpan`, so they count as the SDK's own spans. */
export const RESPAN_BUFFERED = "respan.span_buffer";

/**
 * Set on a span whose returned stream the runtime collected before anyone read it to its end or
 * cancelled it: the span ends at the last read, with what was read as its output.
 */
export const STREAM_ABANDONED = "respan.stream.abandoned";

/** Set on a client span whose W3C traceparent went out with the request (it parents a server's spans). */
export const TRACE_PROPAGATED = "respan.trace_propagated";

/** The instrumentation scope of every span this SDK makes (wrappers, buffers, `getTracer()`). */
export const TRACER_NAME = "respan-tracing";

export type EntityKind = "workflow" | "task" | "agent" | "tool";
