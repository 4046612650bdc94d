import { describe, it } from "vitest";
import { startOtlpReceiver } from "../test/helpers/otlp-receiver.js";
import { checkAll } from "./conformance/checks.js";
import { CONSUMER } from "./harness/consumer.js";
import { parseReport, runProcess } from "./harness/run-process.js";

describe("conformance: Node (packed tarball, node condition)", () => {
  it("passes every scenario", async () => {
    const receiver = await startOtlpReceiver();
    try {
      const { output } = await runProcess(process.execPath, ["cli.mjs", `${receiver.url}/v1/traces`, "node"], { cwd: CONSUMER });
      checkAll("node", receiver.spans, parseReport(output), "node");
    } finally {
      await receiver.close();
    }
  });
});
