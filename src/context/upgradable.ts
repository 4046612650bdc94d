import type { Context, ContextManager } from "@opentelemetry/api";

/**
 * Starts as `initial` and switches to a better manager when `better` resolves (workerd loads
 * `node:async_hooks` with a dynamic import, since a static one fails without the nodejs_als flag).
 * Module evaluation ends before the first request, so requests see the final manager.
 */
export class UpgradableContextManager implements ContextManager {
  private delegate: ContextManager;

  constructor(initial: ContextManager, better: Promise<ContextManager | undefined>) {
    this.delegate = initial;
    better.then(
      (manager) => {
        if (manager) this.delegate = manager;
      },
      () => undefined,
    );
  }

  active(): Context {
    return this.delegate.active();
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.delegate.with(ctx, fn, thisArg, ...args);
  }

  bind<T>(ctx: Context, target: T): T {
    return this.delegate.bind(ctx, target);
  }

  enable(): this {
    this.delegate.enable();
    return this;
  }

  disable(): this {
    this.delegate.disable();
    return this;
  }
}
