/** SPEC §10: in a browser build, createRespanSpanProcessor refuses an apiKey exactly like RespanTelemetry. */
import { describe, expect, it } from "vitest";
import { RespanTelemetry, createRespanSpanProcessor } from "../../src/runtime/browser.js";

function thrownBy(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

describe("browser build: an apiKey is refused unless dangerouslyAllowBrowser", () => {
  it("createRespanSpanProcessor({ apiKey }) throws the constructor's error", () => {
    const expected = thrownBy(() => new RespanTelemetry({ apiKey: "k-browser", exportUrl: "http://127.0.0.1:9/v1/traces" }));
    expect(expected).toContain("apiKey in a browser");
    expect(thrownBy(() => createRespanSpanProcessor({ apiKey: "k-browser", exportUrl: "http://127.0.0.1:9/v1/traces" }))).toBe(expected);
    expect(thrownBy(() => createRespanSpanProcessor({ env: { RESPAN_API_KEY: "k-from-env" } }))).toBe(expected);
  });

  it("dangerouslyAllowBrowser: true allows it; no key needs no permission", async () => {
    const allowed = createRespanSpanProcessor({ apiKey: "k-browser", dangerouslyAllowBrowser: true, exportUrl: "http://127.0.0.1:9/v1/traces" });
    const keyless = createRespanSpanProcessor({ exportUrl: "http://127.0.0.1:9/v1/traces" });
    expect(typeof allowed.onEnd).toBe("function");
    expect(typeof keyless.onEnd).toBe("function");
    await allowed.shutdown();
    await keyless.shutdown();
  });
});
