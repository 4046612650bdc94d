import { describe, expect, it, vi } from "vitest";
import { installInstrumentations, isInstrumentEnabled, type Instrumentor } from "../src/core/instrumentation.js";
import { Logger } from "../src/core/logger.js";
import { Instruments } from "../src/core/options.js";

describe("installing instrumentations", () => {
  it("enabled = listed in instruments (or all when undefined) and not blocked", () => {
    expect(isInstrumentEnabled(Instruments.OPENAI)).toBe(true);
    expect(isInstrumentEnabled(Instruments.OPENAI, new Set())).toBe(false);
    expect(isInstrumentEnabled(Instruments.OPENAI, new Set([Instruments.OPENAI]), new Set([Instruments.OPENAI]))).toBe(false);
  });

  it("an uninstalled library is skipped silently; a passed module wins over discovery; a failing patch only warns", async () => {
    const installed: string[] = [];
    const make = (instrument: Instruments, key: string, fail = false): Instrumentor => ({
      instrument,
      module: { key, packageName: key },
      install: (module) => {
        if (fail) throw new Error("incompatible version");
        installed.push(`${key}:${String(module)}`);
        return true;
      },
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const discover = vi.fn(async (name: string) => (name === "present" ? "found-module" : undefined));
    installInstrumentations(
      [make(Instruments.OPENAI, "present"), make(Instruments.ANTHROPIC, "missing"), make(Instruments.OPENAI, "passed"), make(Instruments.FETCH, "broken", true)],
      () => true,
      { passed: "given-module", broken: "x" },
      discover,
      new Logger("WARNING"),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(installed.sort()).toEqual(["passed:given-module", "present:found-module"]);
    expect(discover).not.toHaveBeenCalledWith("passed");
    expect(warn.mock.calls.map(([line]) => String(line))).toEqual([expect.stringContaining("could not instrument fetch: incompatible version")]);
    warn.mockRestore();
  });
});
