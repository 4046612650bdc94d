import { describe, expect, it } from "vitest";
import { parseViewArgs } from "../../src/viewer/args.js";

describe("respan-tracing view arguments", () => {
  it("defaults to port 4318 and .respan, and reads --port / --data-dir in both forms", () => {
    expect(parseViewArgs([])).toEqual({ port: 4318, dataDir: ".respan" });
    expect(parseViewArgs(["--port", "0", "--data-dir", "/tmp/x"])).toEqual({ port: 0, dataDir: "/tmp/x" });
    expect(parseViewArgs(["--port=9000", "--data-dir=traces"])).toEqual({ port: 9000, dataDir: "traces" });
  });

  it("explains a bad argument", () => {
    expect(parseViewArgs(["--port", "http"])).toMatch(/--port needs a port number/);
    expect(parseViewArgs(["--verbose"])).toMatch(/unknown option --verbose/);
    expect(parseViewArgs(["--data-dir"])).toMatch(/--data-dir needs a directory/);
  });
});
