/**
 * The Workers carriers (src/integrations/workers/carrier.ts, pipelined.ts): a queue envelope comes
 * back as exactly the body sent, a body that merely looks like one is left alone, and a traced RPC
 * call's promise still supports pipelined use.
 */
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { QUEUE_ENVELOPE_KEY, extractCarrier, injectCarrier, unwrapQueueBody, wrapQueueBody } from "../src/integrations/workers/carrier.js";
import { pipelined } from "../src/integrations/workers/pipelined.js";

const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 1 });

describe("queue envelope", () => {
  it("unwraps to the very body sent and the producer's span context", () => {
    const body = { job: "one", list: [1, null, "x"], nested: { [QUEUE_ENVELOPE_KEY]: "user data" } };
    const { body: received, parent: producer } = unwrapQueueBody(wrapQueueBody(body, injectCarrier(parent)));
    expect(received).toBe(body);
    expect(trace.getSpanContext(producer!)).toMatchObject({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7" });
  });

  it("leaves other bodies alone: primitives, arrays, look-alikes of another version", () => {
    for (const body of ["text", 3, null, [1, 2], { body: 1 }, { [QUEUE_ENVELOPE_KEY]: 99, body: "x", carrier: {} }]) {
      expect(unwrapQueueBody(body)).toEqual({ body });
    }
  });

  it("an envelope without a valid carrier still yields its body, with no parent", () => {
    expect(unwrapQueueBody(wrapQueueBody("b", {}))).toEqual({ body: "b", parent: undefined });
    expect(trace.getSpanContext(extractCarrier("not a carrier"))).toBeUndefined();
  });
});

describe("RPC carrier helpers", () => {
  it("a pipelined promise: awaits as the result, and calls or reads a member of the pending result", async () => {
    const counter = { value: 10, increment(by: number) { return (this.value += by); } };
    const result = pipelined(Promise.resolve(counter)) as unknown as Promise<typeof counter> & { increment(by: number): Promise<number>; value: PromiseLike<number> };
    expect(await result).toBe(counter);
    expect(await result.increment(5)).toBe(15);
    expect(await result.value).toBe(15);
  });

  it("a rejected pipelined promise is not an unhandled rejection, and still rejects for its awaiter", async () => {
    const failed = pipelined(Promise.reject(new Error("declined")));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(failed).rejects.toThrow("declined");
  });
});
