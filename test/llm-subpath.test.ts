/**
 * The browser build (the BUILT dist/browser, as a bundler would load it) carries no LLM patch
 * until `respan-tracing/openai` is imported: `instrumentModules: { openai }` alone patches
 * nothing and says which import to add; after the import it patches. Needs `npm run build`.
 */
import OpenAI from "openai";
import { describe, expect, it, vi } from "vitest";

const ORIGINAL = Symbol.for("respan-tracing.original");
const isPatched = () => Boolean((OpenAI.Chat.Completions.prototype.create as unknown as Record<symbol, unknown>)[ORIGINAL]);

describe("LLM patches in the browser build", () => {
  it("instrumentModules without the subpath import warns once with the import; with it, the client is patched", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const sdk = await import("../dist/browser/index.js");
      const first = new sdk.RespanTelemetry({ appName: "page", exportUrl: "http://127.0.0.1:9/v1/traces", instrumentModules: { openai: OpenAI } });
      await Promise.resolve();
      expect(isPatched()).toBe(false);
      const warnings = warn.mock.calls.map(([line]) => String(line));
      expect(warnings).toEqual([expect.stringContaining('Add `import "respan-tracing/openai";`')]);
      await first.shutdown();

      await import("../dist/browser/openai.js");
      const second = new sdk.RespanTelemetry({ appName: "page", exportUrl: "http://127.0.0.1:9/v1/traces", instrumentModules: { openai: OpenAI } });
      expect(isPatched()).toBe(true);
      expect(warn).toHaveBeenCalledTimes(1);
      await second.shutdown();
    } finally {
      warn.mockRestore();
    }
  });
});
