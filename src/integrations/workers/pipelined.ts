/**
 * Workers RPC returns an RpcPromise that can be used before it resolves ("promise pipelining"):
 * `await env.SVC.getCounter().increment()`. A traced call is an async function (its span must see
 * the outcome), so its promise is wrapped to keep that usage working: reading a member of the
 * pending result gives a callable thenable that waits for the result, then reads or calls that
 * member. The semantics are the same; the one difference is an extra round trip where the runtime
 * would have pipelined. `using` works on the resolved value as before (it is the callee's own stub).
 */

const PROMISE_MEMBERS = new Set<PropertyKey>(["then", "catch", "finally", Symbol.toStringTag]);
const DISPOSE: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for("Symbol.dispose");

type Member = ((...args: unknown[]) => unknown) & PromiseLike<unknown>;

function member(result: Promise<unknown>, property: PropertyKey): Member {
  const read = () => result.then((value) => (value as Record<PropertyKey, unknown>)[property]);
  const call = (...args: unknown[]) =>
    pipelined(result.then((value) => (value as Record<PropertyKey, (...a: unknown[]) => unknown>)[property]!(...args)));
  return Object.assign(call, {
    then: <A, B>(onValue?: (v: unknown) => A | PromiseLike<A>, onError?: (e: unknown) => B | PromiseLike<B>) => pipelined(read()).then(onValue, onError),
  }) as Member;
}

export function pipelined<T>(promise: Promise<T>): Promise<T> {
  // Nobody may be listening yet: a rejection is still the caller's to handle, not an unhandled one here.
  promise.catch(() => undefined);
  return new Proxy(promise, {
    get(target, property) {
      if (PROMISE_MEMBERS.has(property)) {
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === "function" ? value.bind(target) : value;
      }
      if (property === DISPOSE) return () => void target.then((value) => (value as Record<symbol, (() => void) | undefined>)?.[DISPOSE]?.(), () => undefined);
      if (typeof property === "symbol") return Reflect.get(target, property, target);
      return member(target, property);
    },
  });
}
