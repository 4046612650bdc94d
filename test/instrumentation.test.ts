import { describe, expect, it, vi } from "vitest";
import { installInstrumentations, isInstrumentEnabled, registerModuleInstrumentor, type Instrumentor } from "../src/core/instrumentation.js";
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

  // Browser, Workers and edge builds carry no LLM patch until its subpath is imported (bundle size).
  it("a passed openai whose patch the build lacks warns once per instance, after the module graph has loaded, naming the import", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const logger = new Logger("WARNING");
    for (let i = 0; i < 2; i++) installInstrumentations([], () => true, { openai: class OpenAI {} }, undefined, logger);
    expect(warn).not.toHaveBeenCalled(); // not before the module graph has finished loading
    await Promise.resolve();
    expect(warn.mock.calls.map(([line]) => String(line))).toEqual([
      expect.stringContaining('instrumentModules.openai is not traced: this build leaves the openai patch out of bundles that do not import it. Add `import "respan-tracing/openai";`'),
    ]);
    warn.mockRestore();
  });

  it("no warning when the instrument is blocked", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    installInstrumentations([], (instrument) => instrument !== Instruments.OPENAI, { openai: class OpenAI {} }, undefined, new Logger("WARNING"));
    await Promise.resolve();
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it("a subpath imported after construction in the same module graph still patches the passed module", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const patched: unknown[] = [];
    const Anthropic = class Anthropic {};
    installInstrumentations([], () => true, { anthropic: Anthropic }, undefined, new Logger("WARNING"));
    // What `import "respan-tracing/anthropic"` does when a later module of the app imports it.
    registerModuleInstrumentor({ instrument: Instruments.ANTHROPIC, module: { key: "anthropic", packageName: "@anthropic-ai/sdk" }, install: (m) => patched.push(m) > 0 });
    await Promise.resolve();
    expect(patched).toEqual([Anthropic]);
    // Registered now: the next instance installs it at construction, without a microtask.
    installInstrumentations([], () => true, { anthropic: "again" }, undefined, new Logger("WARNING"));
    expect(patched).toEqual([Anthropic, "again"]);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});
