import type { Logger } from "./logger.js";
import type { SpanRouter } from "./span-router.js";

/**
 * What a flush, shutdown or exit says when spans were not delivered: each once per instance, with
 * the count, so nothing is lost quietly.
 */

/** Spans still open cannot be exported: a process ending now (or a shutdown) loses them. */
export function warnOpenSpans(logger: Logger, router: SpanRouter, when: string): void {
  const open = router.openSpans();
  if (open <= 0) return;
  logger.once(`open-at-${when}`, "WARNING", `${open} span(s) still open at ${when} are not exported (e.g. a stream never read to its end)`);
}

/** A wait that gave up before everything queued was answered. */
export function warnUndelivered(logger: Logger, router: SpanRouter, what: string, timeoutMs: number): void {
  const { queued } = router.stats();
  logger.once(
    `unfinished-${what}`,
    "WARNING",
    `${what} stopped waiting after ${timeoutMs} ms; ${queued} span(s) were not delivered yet (see getDeliveryStats()). Is the endpoint reachable?`,
  );
}
