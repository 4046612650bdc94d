/**
 * How long the SDK waits, at most, for its own work (SPEC §11 "Bounded waits"): a flush or a
 * shutdown resolves by its deadline whatever the exporter or the endpoint does.
 */

/** Default bound of `flush()` and `shutdown()` (SPEC §11); OTel's exporters also wait 30 s at most. */
export const FLUSH_TIMEOUT_MS = 30_000;
/** Bound of the automatic flush when a process exits or a page is left (SPEC §11). */
export const EXIT_FLUSH_MS = 5_000;
/**
 * How long the end of a Worker/Next invocation waits for the user's own waitUntil work before
 * exporting: Cloudflare lets waitUntil run 30 s past the response, this leaves 10 s to export.
 * Spans that end later are still exported (each hands its own flush to waitUntil).
 */
export const USER_WORK_WAIT_MS = 20_000;

/** A count as given by a user (a queue size, attempts): a finite number ≥ `min`, rounded down, else the default. */
export function countOrDefault(value: unknown, fallback: number, min = 1): number {
  return typeof value === "number" && Number.isFinite(value) && value >= min ? Math.floor(value) : fallback;
}

/** A timeout as given by a user: a finite, non-negative number, else the default. */
export function timeoutOrDefault(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/**
 * Waits for `work` at most `ms`; resolves true if it settled in time, false otherwise. Never
 * rejects. The timer does not keep a Node or Deno process alive on its own.
 */
export function settleWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    (timer as { unref?: () => void }).unref?.();
  });
  const done = work.then(
    () => true,
    () => true,
  );
  return Promise.race([done, timeout]).finally(() => clearTimeout(timer));
}
