import type { Span } from "@opentelemetry/api";
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
