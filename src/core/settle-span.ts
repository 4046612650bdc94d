import type { Span } from "@opentelemetry/api";
import { STREAM_ABANDONED } from "./attributes.js";
import { recordFailure } from "./describe-error.js";

/**
 * Ends `span` when `work` settles (recording a failure, or calling `onValue` first), and returns
 * the work's own outcome unchanged: the caller sees the same value or the same error.
 */
export function endWhenSettled<T>(span: Span | undefined, work: Promise<T>, onValue?: (value: T) => void): Promise<T> {
  if (!span) return work;
  return Promise.resolve(work).then(
    (value) => {
      onValue?.(value);
      span.end();
      return value;
    },
    (error: unknown) => {
      recordFailure(span, error);
      span.end();
      throw error;
    },
  );
}

/**
 * Ends a stream's span: now, or, when the stream was collected unread (`abandonedAt`: its last
 * read), at that time rather than the collection's, marked as abandoned.
 */
export function endStreamSpan(span: Span, abandonedAt: number | undefined): void {
  if (abandonedAt !== undefined) span.setAttribute(STREAM_ABANDONED, true);
  span.end(abandonedAt);
}
