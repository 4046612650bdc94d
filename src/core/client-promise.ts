/**
 * The promise Stainless-generated clients return (openai, @anthropic-ai/sdk): it parses lazily,
 * on `then`, and also offers `asResponse()` (the raw Response, body unread) and `withResponse()`.
 * Calling `then` to observe it would parse, and so read, a body the caller may want raw; these
 * helpers observe it through its own hooks instead.
 */
export interface ClientPromise {
  responsePromise: Promise<{ response?: { status?: number } }>;
  parseResponse: (...args: unknown[]) => Promise<unknown>;
  parsedPromise?: unknown;
}

export function isClientPromise(value: unknown): value is ClientPromise {
  try {
    const candidate = value as ClientPromise | undefined;
    return typeof candidate?.parseResponse === "function" && typeof candidate.responsePromise?.then === "function";
  } catch {
    return false;
  }
}

export interface ClientPromiseObserver {
  /** The parsed value; what it returns is what the caller gets (the same value, or one observed in place). */
  parsed(value: unknown): unknown;
  /** The response arrived; `parsing` false: nobody asked for the parsed body (read raw, or not at all). */
  response(status: number | undefined, parsing: boolean): void;
  failed(error: unknown): void;
}

/** Observes `promise` in place: the caller keeps the same object, with every method working. */
export function observeClientPromise(promise: ClientPromise, observer: ClientPromiseObserver): void {
  const parse = promise.parseResponse;
  promise.parseResponse = async function (this: unknown, ...args: unknown[]) {
    try {
      return observer.parsed(await parse.apply(this, args));
    } catch (error) {
      observer.failed(error);
      throw error;
    }
  };
  promise.responsePromise.then(
    (props) => {
      const status = props?.response?.status;
      observer.response(typeof status === "number" ? status : undefined, Boolean(promise.parsedPromise));
    },
    (error: unknown) => observer.failed(error),
  );
}
