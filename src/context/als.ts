import { ROOT_CONTEXT, type Context, type ContextManager } from "@opentelemetry/api";

/** The part of AsyncLocalStorage this manager uses; Node, Deno, workerd and Next edge all have it. */
export interface AsyncLocalStorageLike<T> {
  getStore(): T | undefined;
  run<R>(store: T, callback: () => R): R;
  disable?(): void;
}

export type AsyncLocalStorageClass = new <T>() => AsyncLocalStorageLike<T>;

/**
 * Context that follows awaits, timers and callbacks, for Deno, workerd and the Next.js edge. Node
 * uses OTel's own AsyncLocalStorageContextManager (it also binds EventEmitters); that one imports
 * `async_hooks` itself, which Next.js edge lacks (ALS is a global there) and workerd has only
 * behind a flag, so here the class is a parameter. `bind` wraps functions only.
 */
export class AlsContextManager implements ContextManager {
  private storage: AsyncLocalStorageLike<Context>;

  constructor(private readonly Storage: AsyncLocalStorageClass) {
    this.storage = new Storage<Context>();
  }

  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }

  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== "function") return target;
    const manager = this;
    const bound = function (this: unknown, ...args: unknown[]) {
      return manager.with(ctx, () => (target as (...a: unknown[]) => unknown).apply(this, args));
    };
    return bound as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    try {
      this.storage.disable?.();
    } catch {
      // workerd's AsyncLocalStorage has no disable(); a fresh storage below is what matters.
    }
    this.storage = new this.Storage<Context>();
    return this;
  }
}
