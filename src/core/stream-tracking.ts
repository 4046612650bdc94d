import { MAX_STRING_CHARS } from "./safe-json.js";
import { whenCollected } from "./when-collected.js";

/**
 * Called once when a tracked stream is finished, failed, cancelled, or collected by the runtime
 * without any of those (`abandoned`: nobody read it to its end). `lastReadAt`: when it was
 * created or last gave a chunk (epoch ms), the time an abandoned stream's span ends at, since the
 * collection itself may come much later.
 */
export type StreamEnd = (outcome: { error?: unknown; cancelled?: boolean; abandoned?: boolean; text: string; chunks: number; lastReadAt: number }) => void;

/**
 * Events after which an event-emitting stream is done, however it was read (Node `Readable`
 * through pipe(): "end"/"close"; Anthropic's MessageStream: "end"/"abort"). Never "error": a
 * listener there would keep an unhandled stream error from crashing the app as it should.
 */
const DONE_EVENTS = ["end", "close", "abort"];

export function isReadableStream(value: unknown): value is ReadableStream {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ReadableStream).getReader === "function" &&
    typeof (value as ReadableStream).pipeThrough === "function"
  );
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function"
  );
}

/** Joins string (and UTF-8 byte) chunks up to a cap, so a long stream's output stays bounded. */
class ChunkText {
  text = "";
  chunks = 0;
  lastReadAt = Date.now();
  private readonly decoder = new TextDecoder();

  add(chunk: unknown): void {
    this.chunks++;
    this.lastReadAt = Date.now();
    if (this.text.length >= MAX_STRING_CHARS) return;
    if (typeof chunk === "string") this.text += chunk;
    else if (chunk instanceof Uint8Array) this.text += this.decoder.decode(chunk, { stream: true });
  }
}

/** Calls `onEnd` once, with the chunks collected so far. */
function endOnce(collected: ChunkText, onEnd: StreamEnd): (outcome: { error?: unknown; cancelled?: boolean; abandoned?: boolean }) => void {
  let ended = false;
  return (outcome) => {
    if (ended) return;
    ended = true;
    onEnd({ ...outcome, text: collected.text, chunks: collected.chunks, lastReadAt: collected.lastReadAt });
  };
}

/**
 * Ends the span when `owner` is collected unfinished. `owner` must be a JS object that every way
 * of reading holds on to (the underlying source of the stream a reader locks; the source every
 * tracked iterator reads from), so it is never collected while it is still being read; `end`
 * itself does not hold it.
 */
function endWhenAbandoned(owner: object, end: ReturnType<typeof endOnce>): void {
  whenCollected(owner, () => end({ abandoned: true }));
}

/** A stream that passes every chunk through unchanged and reports when it is done. */
export function trackReadableStream<T>(source: ReadableStream<T>, onEnd: StreamEnd): ReadableStream<T> {
  const reader = source.getReader();
  const collected = new ChunkText();
  const end = endOnce(collected, onEnd);
  const underlying: UnderlyingDefaultSource<T> = {
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          end({});
          controller.close();
          return;
        }
        collected.add(value);
        controller.enqueue(value);
      } catch (error) {
        end({ error });
        controller.error(error);
      }
    },
    async cancel(reason) {
      end({ cancelled: true });
      await reader.cancel(reason);
    },
  };
  // Registered: the underlying source, not the stream. A reader, a pipe or a Response body holds
  // the stream while it is read, and the stream holds its source until it closes, errors or is
  // cancelled (the spec's algorithms). The stream object itself will not do: in Chromium it is a
  // C++ object whose JS wrapper a young-generation collection drops while only C++ holds it (a
  // reader being read), which would end the span mid-read as abandoned.
  endWhenAbandoned(underlying, end);
  return new ReadableStream<T>(underlying);
}

/**
 * An async iterable that behaves like `source` (same methods and properties, e.g. an OpenAI
 * `Stream`'s `controller`) but reports when iteration finishes, throws, or is abandoned (`return`).
 */
export function trackAsyncIterable<T extends AsyncIterable<unknown>>(source: T, onEnd: StreamEnd): T {
  const collected = new ChunkText();
  const end = endOnce(collected, onEnd);
  const track = (inner: () => AsyncIterator<unknown>): AsyncIterator<unknown> => ({
    async next(...args: [] | [unknown]) {
      try {
        const result = await inner().next(...args);
        if (result.done) end({});
        else collected.add(result.value);
        return result;
      } catch (error) {
        end({ error });
        throw error;
      }
    },
    async return(value?: unknown) {
      end({ cancelled: true });
      const it = inner();
      return it.return ? it.return(value) : { done: true, value };
    },
    async throw(error?: unknown) {
      end({ error });
      const it = inner();
      if (it.throw) return it.throw(error);
      throw error;
    },
  });
  // A client Stream (openai, @anthropic-ai/sdk) reads itself through its own `iterator` method
  // (toReadableStream(), tee(), for-await): tracked there, in place, every way of reading it counts.
  const own = ownIteratorMethod(source);
  if (own) {
    Object.defineProperty(source, "iterator", {
      configurable: true,
      writable: true,
      value: function (this: unknown) {
        let iterator: AsyncIterator<unknown> | undefined;
        return track(() => (iterator ??= own.call(this)));
      },
    });
  } else if (hasFixedMethod(source)) {
    // Caught by the caller, which then returns `source` untouched and ends the span now.
    throw new TypeError("a frozen async iterable cannot be observed");
  }
  // Every tracked iterator reads through `source` and holds it, whereas a for-await holds only its
  // iterator, not the Proxy returned below: so `source` tells abandonment. Registered only once
  // tracking is in place: a source that refused it (frozen) has had its span ended by the caller.
  endWhenAbandoned(source, end);
  if (own) return source;
  // Direct next()/return() calls on the result (it is itself an iterator) share one iterator...
  let direct: AsyncIterator<unknown> | undefined;
  const tracked = track(() => (direct ??= source[Symbol.asyncIterator]()));
  endOnDoneEvents(source, () => end({}));
  return new Proxy(source, {
    get(target, property) {
      // ...while each for-await gets a fresh one, as it would from the source (re-iterable results stay so).
      if (property === Symbol.asyncIterator) {
        return () => {
          let own: AsyncIterator<unknown> | undefined;
          return track(() => (own ??= target[Symbol.asyncIterator]()));
        };
      }
      if (property === "next" || property === "return" || property === "throw") {
        if (typeof (target as Record<PropertyKey, unknown>)[property] === "function") return tracked[property]!.bind(tracked);
      }
      const value = Reflect.get(target, property, target);
      // Bound to the real object so private fields (#x) of class-based streams keep working.
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * True when `source` has an own method that a Proxy must hand out as it is (read-only and
 * non-configurable, as on a frozen object): answering with a tracked or bound one is a TypeError.
 */
function hasFixedMethod(source: object): boolean {
  return Reflect.ownKeys(source).some((key) => {
    const property = Reflect.getOwnPropertyDescriptor(source, key);
    return property?.configurable === false && property.writable === false && typeof property.value === "function";
  });
}

function ownIteratorMethod(source: object): ((this: unknown) => AsyncIterator<unknown>) | undefined {
  try {
    const method = Object.prototype.hasOwnProperty.call(source, "iterator") ? (source as { iterator?: unknown }).iterator : undefined;
    return typeof method === "function" ? (method as (this: unknown) => AsyncIterator<unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** For streams that are also event emitters and may be read without iterating (pipe, finalMessage()). */
function endOnDoneEvents(source: object, done: () => void): void {
  try {
    const once = (source as { once?: unknown }).once;
    if (typeof once !== "function") return;
    for (const event of DONE_EVENTS) once.call(source, event, done);
  } catch {
    // Not an emitter after all: iteration alone ends the span.
  }
}
