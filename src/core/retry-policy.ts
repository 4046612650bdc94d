import { countOrDefault, timeoutOrDefault } from "./deadline.js";

/**
 * How long and how often an export is retried. Defaults follow the OTLP exporter specification's
 * advice (exponential backoff with jitter, retry on 429/502/503/504 and network errors); the
 * deadline bounds how long a batch may hold memory.
 */
export interface RetryPolicy {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Total time one batch may spend being retried, including waits. */
  deadlineMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  // Waits of at least 0.5+1+2+4+5+5+5 s ≈ 22 s before the last try: a 10–20 s blip (a deploy,
  // a restarted collector) loses nothing, while one minute bounds what a batch holds.
  maxAttempts: 8,
  initialDelayMs: 1000,
  maxDelayMs: 10_000,
  deadlineMs: 60_000,
};

/**
 * The default policy with the user's fields that make sense: finite, non-negative numbers (and at
 * least one attempt). An unset (undefined) or nonsensical field keeps its default.
 */
export function resolveRetryPolicy(given: Partial<RetryPolicy> | undefined): RetryPolicy {
  const defaults = DEFAULT_RETRY_POLICY;
  if (!given || typeof given !== "object") return { ...defaults };
  // The same checks as every other user-given count and duration (deadline.ts).
  return {
    maxAttempts: countOrDefault(given.maxAttempts, defaults.maxAttempts),
    initialDelayMs: timeoutOrDefault(given.initialDelayMs, defaults.initialDelayMs),
    maxDelayMs: timeoutOrDefault(given.maxDelayMs, defaults.maxDelayMs),
    deadlineMs: timeoutOrDefault(given.deadlineMs, defaults.deadlineMs),
  };
}

/** Exponential backoff with "equal jitter": a random wait in [c/2, c], c = min(max, initial·2^attempt). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** 429 and 5xx are worth another try; other statuses will fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}
