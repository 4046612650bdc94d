import { SpanStatusCode, type Span } from "@opentelemetry/api";

/**
 * What a thrown value says, without ever throwing itself: user code may throw anything (a
 * null-prototype object, an Error whose `message` getter throws, a revoked Proxy), and the SDK
 * must rethrow exactly that, not a TypeError of its own.
 */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return String(error.message);
  } catch {
    // A hostile Error or Proxy: fall through to the plainer descriptions.
  }
  try {
    return String(error);
  } catch {
    try {
      return Object.prototype.toString.call(error);
    } catch {
      return "unknown error";
    }
  }
}

function isError(value: unknown): value is Error {
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

/** Records `error` on `span` (exception event + ERROR status); never throws. */
export function recordFailure(span: Span, error: unknown, statusMessage?: string): void {
  const text = describeError(error);
  try {
    span.recordException(isError(error) ? error : text);
  } catch {
    try {
      span.recordException(text);
    } catch {
      // The span keeps its ERROR status below.
    }
  }
  try {
    span.setStatus({ code: SpanStatusCode.ERROR, message: statusMessage ?? text });
  } catch {
    // Nothing more can be recorded; the caller still gets its own error.
  }
}
