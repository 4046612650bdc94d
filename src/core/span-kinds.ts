import type { EntityKind } from "./attributes.js";
import { runEntity, type EntityOptions } from "./entity-span.js";
import { activeHost, type TracingHost } from "./host.js";

type AnyFunction = (...args: any[]) => any;

/** Options of a class decorator: which method of the class the span wraps. */
export interface ClassEntityOptions extends EntityOptions {
  methodName?: string;
}

/**
 * A decorator usable on methods and classes, with TypeScript 5 standard decorators and with
 * `experimentalDecorators`.
 */
export type EntityDecorator = {
  <T extends AnyFunction>(method: T, context: ClassMethodDecoratorContext): T;
  <C extends abstract new (...args: any[]) => any>(cls: C, context: ClassDecoratorContext): void;
  (target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
  <C extends abstract new (...args: any[]) => any>(cls: C): void;
};

type HostResolver = () => TracingHost | undefined;

function toOptions(options: EntityOptions | string | undefined): ClassEntityOptions {
  return typeof options === "string" ? { name: options } : { ...(options ?? {}) };
}

/** Wraps `fn` so that every call runs in a span; keeps `this`, arguments, name and return type. */
export function wrapInSpan<F extends AnyFunction>(kind: EntityKind, options: EntityOptions, fn: F, resolveHost: HostResolver = activeHost): F {
  if (typeof fn !== "function") throw new TypeError(`${kind}(): expected a function to wrap, got ${typeof fn}`);
  const spanOptions = { ...options, name: options.name || fn.name || kind };
  const wrapped = function (this: unknown, ...args: unknown[]) {
    return runEntity(resolveHost(), kind, spanOptions, fn, this, args);
  };
  Object.defineProperty(wrapped, "name", { value: fn.name, configurable: true });
  Object.defineProperty(wrapped, "length", { value: fn.length, configurable: true });
  return wrapped as unknown as F;
}

function wrapClassMethod(kind: EntityKind, options: ClassEntityOptions, cls: { name: string; prototype: any }, resolveHost: HostResolver): void {
  const { methodName, ...spanOptions } = options;
  if (!methodName) {
    throw new TypeError(`@${kind}() on class ${cls.name}: pass { methodName: "..." } to say which method the span wraps`);
  }
  const method = cls.prototype[methodName];
  if (typeof method !== "function") {
    throw new TypeError(`@${kind}({ methodName: "${methodName}" }): class ${cls.name} has no method "${methodName}"`);
  }
  cls.prototype[methodName] = wrapInSpan(kind, { ...spanOptions, name: spanOptions.name || cls.name }, method, resolveHost);
}

export function makeDecorator(kind: EntityKind, options: ClassEntityOptions, resolveHost: HostResolver = activeHost): EntityDecorator {
  return function decorate(...args: unknown[]): any {
    const [target, second, descriptor] = args;
    // TC39 / TypeScript 5 decorators: (value, context)
    if (args.length === 2 && typeof second === "object" && second !== null && "kind" in second) {
      const ctx = second as ClassMethodDecoratorContext | ClassDecoratorContext;
      if (ctx.kind === "class") return wrapClassMethod(kind, options, target as { name: string; prototype: unknown }, resolveHost);
      if (ctx.kind === "method") {
        return wrapInSpan(kind, { ...options, name: options.name || String(ctx.name) }, target as AnyFunction, resolveHost);
      }
      throw new TypeError(`@${kind}() can decorate classes and methods, not a ${String((ctx as { kind: unknown }).kind)}`);
    }
    // experimentalDecorators: (prototype, key, descriptor) for methods, (constructor) for classes
    if (args.length === 3 && descriptor && typeof (descriptor as PropertyDescriptor).value === "function") {
      const desc = descriptor as PropertyDescriptor;
      desc.value = wrapInSpan(kind, { ...options, name: options.name || String(second) }, desc.value, resolveHost);
      return desc;
    }
    if (typeof target === "function") return wrapClassMethod(kind, options, target as { name: string; prototype: unknown }, resolveHost);
    throw new TypeError(`@${kind}() can decorate classes and methods only`);
  } as EntityDecorator;
}

/** A wrapper factory / decorator of one kind; `telemetry.task` etc. (below) are bound to their instance. */
export interface EntityFactory {
  /** `task(fn)`: wraps fn, the span named after it. */
  <F extends AnyFunction>(fn: F): F;
  /** A bare `@task` on a method (TypeScript 5 decorators). */
  <T extends AnyFunction>(method: T, context: ClassMethodDecoratorContext): T;
  /** A bare `@task` on a method (experimentalDecorators). */
  (target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
  (options?: ClassEntityOptions | string): EntityDecorator;
  <F extends AnyFunction>(options: EntityOptions | string, fn: F): F;
}

/** Arguments as a decorator receives them: (value, context), or (prototype, key, descriptor); or a class alone. */
function isDecoratorCall(args: unknown[]): boolean {
  const [first, second] = args;
  if (args.length === 2) return typeof second === "object" && second !== null && "kind" in second;
  if (args.length === 3) return typeof second === "string" || typeof second === "symbol";
  return args.length === 1 && typeof first === "function" && /^class\b/.test(Function.prototype.toString.call(first));
}

/**
 * The wrapper factory / decorator of one kind. `resolveHost` says which instance records the
 * spans: by default the current one when the function runs; `telemetry.task(…)` passes its own.
 */
export function kindFactory(kind: EntityKind, resolveHost: HostResolver = activeHost): EntityFactory {
  function factory<F extends AnyFunction>(fn: F): F;
  function factory<T extends AnyFunction>(method: T, context: ClassMethodDecoratorContext): T;
  function factory(target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
  function factory(options?: ClassEntityOptions | string): EntityDecorator;
  function factory<F extends AnyFunction>(options: EntityOptions | string, fn: F): F;
  function factory(...args: unknown[]): unknown {
    const [options, fn] = args;
    // A bare `@task` (no parentheses) is called as the decorator itself.
    if (isDecoratorCall(args)) return (makeDecorator(kind, {}, resolveHost) as (...args: unknown[]) => unknown)(...args);
    // `task(fn)` wraps fn under its own name. Read as options, a function would silently become
    // an empty options object and the call a decorator.
    if (typeof options === "function") return wrapInSpan(kind, {}, options as AnyFunction, resolveHost);
    if (fn !== undefined && typeof fn !== "function") {
      throw new TypeError(`${kind}(options, fn): expected a function to wrap, got ${fn === null ? "null" : typeof fn}`);
    }
    const resolved = toOptions(options as ClassEntityOptions | string | undefined);
    return fn === undefined ? makeDecorator(kind, resolved, resolveHost) : wrapInSpan(kind, resolved, fn as AnyFunction, resolveHost);
  }
  return factory;
}

function withKind(kind: EntityKind) {
  return function <R>(options: EntityOptions | string, fn: () => R): R {
    return runEntity(activeHost(), kind, toOptions(options), fn, undefined, []);
  };
}

/**
 * Wrapper factory / decorator for a workflow span.
 * @example
 * const run = workflow({ name: "joke_workflow" }, async () => { … });
 * class Agent { @workflow({ name: "run_agent" }) async run() { … } }
 */
export const workflow = /* @__PURE__ */ kindFactory("workflow");
/** Wrapper factory / decorator for a task span. @example const create = task({ name: "joke_creation" }, createJoke); */
export const task = /* @__PURE__ */ kindFactory("task");
/** Wrapper factory / decorator for an agent span. @example const plan = agent({ name: "planner" }, planFn); */
export const agent = /* @__PURE__ */ kindFactory("agent");
/** Wrapper factory / decorator for a tool span. @example const search = tool({ name: "web_search" }, searchFn); */
export const tool = /* @__PURE__ */ kindFactory("tool");

/** Runs `fn` in a workflow span. @example await withWorkflow({ name: "joke_workflow" }, async () => { … }); */
export const withWorkflow = /* @__PURE__ */ withKind("workflow");
/** Runs `fn` in a task span. @example const joke = await withTask({ name: "joke_creation" }, () => llm(prompt)); */
export const withTask = /* @__PURE__ */ withKind("task");
/** Runs `fn` in an agent span. @example await withAgent({ name: "planner" }, plan); */
export const withAgent = /* @__PURE__ */ withKind("agent");
/** Runs `fn` in a tool span. @example await withTool({ name: "web_search" }, () => search(q)); */
export const withTool = /* @__PURE__ */ withKind("tool");
