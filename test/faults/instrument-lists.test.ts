/** `instruments` / `blockInstruments` as plain JavaScript users write them. */
import { describe, expect, it } from "vitest";
import { Instruments, RespanTelemetry } from "../../src/runtime/node.js";
import { onCleanup } from "../helpers/setup.js";

describe("instrument lists", () => {
  it("an array works like a Set", () => {
    const telemetry = new RespanTelemetry({ env: {}, instruments: [Instruments.OPENAI], blockInstruments: [Instruments.ANTHROPIC] });
    onCleanup(() => telemetry.shutdown());
    expect([Instruments.OPENAI, Instruments.ANTHROPIC, Instruments.FETCH].map((i) => telemetry.isInstrumentEnabled(i))).toEqual([true, false, false]);
  });

  it("anything else is refused at construction with a clear message, and no instance is left behind", () => {
    expect(() => new RespanTelemetry({ env: {}, instruments: "openai" as never })).toThrow(/instruments must be a Set or an array of Instruments/);
    expect(() => new RespanTelemetry({ env: {}, blockInstruments: { openai: true } as never })).toThrow(/blockInstruments must be a Set or an array/);
  });
});
