/**
 * instrumentWorker(handler) returns `{ ...handler }` plus wrapped fetch/scheduled/queue
 * (src/integrations/workers/worker.ts). Object spread copies OWN enumerable properties only, so when the
 * handler is a class instance (`export default instrumentWorker(new MyWorker())`) every other
 * handler defined on its prototype — `email`, `tail`, `trace`, RPC-style helpers — disappears, and
 * workerd then rejects those events ("handler does not export an email() function"). Checked in
 * workerd (Miniflare): the unwrapped instance has `email`, the wrapped one has not.
 */
import { describe, expect, it } from "vitest";
import { instrumentWorker } from "../../src/integrations/workers/index.js";

class MailWorker {
  readonly greeting = "hi";
  async fetch(): Promise<Response> {
    return new Response(this.greeting);
  }
  async email(): Promise<void> {}
  async tail(): Promise<void> {}
}

describe("instrumentWorker with a class-instance handler", () => {
  it("keeps the handlers it does not wrap (email, tail)", () => {
    const wrapped = instrumentWorker(new MailWorker() as never, {}) as unknown as MailWorker;
    expect(typeof wrapped.fetch).toBe("function");
    expect(typeof wrapped.email).toBe("function");
    expect(typeof wrapped.tail).toBe("function");
  });
});
