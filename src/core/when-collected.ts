/**
 * Calls back when the runtime has collected an object: how a stream that nobody reads to its end,
 * cancels or keeps ends its span (stream-tracking.ts), instead of leaving it open for good.
 *
 * Best effort by nature: a collector runs when it likes, perhaps never before the process ends
 * (the exit report then counts the span), and Cloudflare Workers run the callbacks only from
 * compatibility date 2025-05-05 (or with the `enable_weak_ref` flag). Without FinalizationRegistry
 * (older engines) nothing is registered and such a span stays open, as it did before.
 */
type Callback = () => void;

let registry: FinalizationRegistry<Callback> | null | undefined;

function run(callback: Callback): void {
  try {
    callback();
  } catch {
    // A finalizer has no caller to report to; ending a span must not become an uncaught error.
  }
}

/** `callback` must not reference `target`, or `target` is never collected. */
export function whenCollected(target: object, callback: Callback): void {
  try {
    registry ??= typeof FinalizationRegistry === "function" ? new FinalizationRegistry(run) : null;
  } catch {
    registry = null; // a runtime or shim that refuses it: spans end only by reading, as before
  }
  try {
    registry?.register(target, callback);
  } catch {
    // This object cannot be registered: its span ends only by reading, as before.
  }
}
