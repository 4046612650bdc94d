/**
 * SPEC §3: "Errors: the exception is recorded, status set to ERROR, and the error re-thrown
 * unchanged." SPEC §4: the client "never throws".
 *
 * `fail()` (entity-span.ts) computes `String(error)` / `error.message` to record the exception. For a
 * thrown value that cannot be turned into a string (a null-prototype object — what many RPC/validation
 * libraries throw as plain data —, an object whose toString throws, an Error whose `message` getter
 * throws) that throws a NEW TypeError, which replaces the user's error in their catch block.
 * `getClient().recordException()` throws the same way, and `getClient().addEvent()` throws when an
 * attribute getter throws (updateCurrentSpan guards this; addEvent does not).
 */
import { describe, expect, it } from "vitest";
import { RespanTelemetry, getClient, withTask } from "../../src/runtime/node.js";
import { onCleanup } from "../helpers/setup.js";
import { memoryExporter } from "./memory-exporter.js";

function setup() {
  const exporter = memoryExporter();
  const telemetry = new RespanTelemetry({ customExporter: exporter, env: {} });
  onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
  return { exporter, telemetry };
}

const caught = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return "nothing thrown";
};

describe("a thrown value reaches the caller unchanged", () => {
  it("null-prototype object thrown synchronously", () => {
    setup();
    const thrown = Object.assign(Object.create(null), { code: "E_VALIDATION" });
    expect(caught(() => withTask({ name: "sync" }, () => { throw thrown; }))).toBe(thrown);
  });

  it("null-prototype object thrown by an async function", async () => {
    setup();
    const thrown = Object.assign(Object.create(null), { code: "E_VALIDATION" });
    await expect(withTask({ name: "async" }, async () => { throw thrown; })).rejects.toBe(thrown);
  });

  it("an object whose toString throws, and an Error whose message getter throws", () => {
    setup();
    const badToString = { toString() { throw new Error("no string for you"); } };
    expect(caught(() => withTask({ name: "tostring" }, () => { throw badToString; }))).toBe(badToString);
    class LazyError extends Error {
      override get message(): string {
        throw new Error("message not loaded");
      }
    }
    const lazy = new LazyError();
    expect(caught(() => withTask({ name: "lazy" }, () => { throw lazy; }))).toBe(lazy);
  });

  it("the span is still exported with status ERROR", async () => {
    const { exporter, telemetry } = setup();
    caught(() => withTask({ name: "recorded" }, () => { throw Object.create(null); }));
    await telemetry.flush();
    expect(exporter.spans.find((s) => s.name === "recorded.task")?.status.code).toBe(2);
  });
});

describe("the client never throws into user code", () => {
  it("recordException(null-prototype object) inside a span", () => {
    setup();
    withTask({ name: "t" }, () => {
      expect(() => getClient().recordException(Object.create(null))).not.toThrow();
    });
  });

  it("addEvent() with an attribute getter that throws", () => {
    setup();
    const attributes = {
      get lazy(): string {
        throw new Error("not loaded");
      },
    };
    withTask({ name: "t" }, () => {
      expect(() => getClient().addEvent("checkpoint", attributes)).not.toThrow();
    });
  });
});
