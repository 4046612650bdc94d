import type { Transport, TransportRequest } from "../core/transport.js";
import { backoffDelay, isRetryableStatus, parseRetryAfter, type RetryPolicy } from "../core/retry-policy.js";
import { describeError } from "../core/describe-error.js";

export type DeliveryOutcome =
  | { ok: true; attempts: number }
  | { ok: false; attempts: number; reason: "status"; status: number }
  | { ok: false; attempts: number; reason: "network"; message: string }
  | { ok: false; attempts: number; reason: "deadline"; status?: number; message?: string }
  | { ok: false; attempts: number; reason: "aborted" };

export interface RetryingOptions {
  policy: RetryPolicy;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

/** A wait that ends early when the SDK gives up (so a process can exit instead of sleeping on). */
function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done);
  });
}

/**
 * Sends `request`, retrying network errors, 429 and 5xx with backoff and honouring `Retry-After`,
 * until it succeeds, fails for good, or the policy's deadline would be passed. Never rejects.
 */
export async function sendWithRetries(
  transport: Transport,
  request: TransportRequest,
  { policy, sleep = defaultSleep, now = Date.now }: RetryingOptions,
): Promise<DeliveryOutcome> {
  const deadline = now() + policy.deadlineMs;
  let last: { status?: number; message?: string } = {};
  for (let attempt = 0; attempt < policy.maxAttempts; attempt++) {
    if (request.signal?.aborted) return { ok: false, attempts: attempt, reason: "aborted" };
    let waitHint: number | undefined;
    try {
      const response = await transport.send(request);
      if (response.status >= 200 && response.status < 300) return { ok: true, attempts: attempt + 1 };
      if (!isRetryableStatus(response.status)) {
        return { ok: false, attempts: attempt + 1, reason: "status", status: response.status };
      }
      last = { status: response.status };
      waitHint = parseRetryAfter(response.retryAfter);
    } catch (error) {
      last = { message: describeError(error) };
    }
    if (attempt + 1 >= policy.maxAttempts) break;
    const wait = waitHint ?? backoffDelay(policy, attempt);
    if (now() + wait > deadline) return { ok: false, attempts: attempt + 1, reason: "deadline", ...last };
    await sleep(wait, request.signal);
  }
  if (request.signal?.aborted) return { ok: false, attempts: policy.maxAttempts, reason: "aborted" };
  if (last.status !== undefined) return { ok: false, attempts: policy.maxAttempts, reason: "status", status: last.status };
  return { ok: false, attempts: policy.maxAttempts, reason: "network", message: last.message ?? "unknown" };
}
