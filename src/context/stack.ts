import { ROOT_CONTEXT, type Context, type ContextManager } from "@opentelemetry/api";

/**
 * Context for runtimes without async context (browsers, workerd without nodejs_als): it holds
 * across synchronous code only, so async code passes context explicitly
 * (`client.currentContext()` → a wrapper's `context` option or `client.runWithContext`).
 * Same behaviour as OTel's StackContextManager, which lives in sdk-trace-web (a second SDK copy).
 */
export class StackContextManager implements ContextManager {
  private current: Context = ROOT_CONTEXT;

  active(): Context {
    return this.current;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    const previous = this.current;
    this.current = ctx ?? ROOT_CONTEXT;
    try {
      return fn.apply(thisArg, args);
    } finally {
      this.current = previous;
    }
  }

  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== "function") return target;
    const manager = this;
    return function (this: unknown, ...args: unknown[]) {
      return manager.with(ctx, () => (target as (...a: unknown[]) => unknown).apply(this, args));
    } as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.current = ROOT_CONTEXT;
    return this;
  }
}
