import { createContextKey, type Context } from "@opentelemetry/api";

/** Hands a promise to the runtime so it stays alive until the promise settles (Workers, Vercel, Next `after`). */
export type WaitUntil = (promise: Promise<unknown>) => void;

/**
 * One request (or scheduled/queue invocation) whose `waitUntil` is known. Spans that end inside it
 * after the response was returned have their export handed to that `waitUntil`, so delivery never
 * depends on a timer firing after the response (SPEC §8).
 */
export class RequestScope {
  /** Set once the handler has returned; later span ends flush through waitUntil themselves. */
  responded = false;
  /** The user's own waitUntil work, awaited before the final flush. */
  private readonly userWork: Promise<unknown>[] = [];

  constructor(private readonly runtimeWaitUntil: WaitUntil) {}

  /** The waitUntil given to user code: tracked, then passed to the runtime. */
  readonly waitUntil: WaitUntil = (promise) => {
    this.userWork.push(promise);
    this.handOff(promise);
  };

  /** Hands our own work (an export) to the runtime. */
  handOff(promise: Promise<unknown>): void {
    try {
      this.runtimeWaitUntil(promise.catch(() => undefined));
    } catch {
      // A runtime that refuses (scope already over) leaves the promise running on its own.
    }
  }

  /**
   * Resolves once every waitUntil promise the user gave so far (and any they added meanwhile)
   * settled. Only the end-of-invocation flush waits for this; `flush()` itself never does, since
   * user work may be waiting on that very flush (`ctx.waitUntil(telemetry.flush())`).
   */
  async settled(): Promise<void> {
    let seen = 0;
    while (seen < this.userWork.length) {
      const batch = this.userWork.slice(seen);
      seen = this.userWork.length;
      await Promise.allSettled(batch);
    }
  }
}

export const REQUEST_SCOPE_KEY = createContextKey("respan-tracing.request-scope");

export function getRequestScope(ctx: Context): RequestScope | undefined {
  return ctx.getValue(REQUEST_SCOPE_KEY) as RequestScope | undefined;
}
