import { afterEach } from "vitest";
import { RespanTelemetry, type RespanOptions } from "../../src/runtime/node.js";
import { startOtlpReceiver, type OtlpReceiver } from "./otlp-receiver.js";

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A telemetry instance exporting to a fresh loopback receiver; both are torn down after the test. */
export async function tracedWithReceiver(options: RespanOptions = {}): Promise<{ telemetry: RespanTelemetry; receiver: OtlpReceiver }> {
  const receiver = await startOtlpReceiver();
  const telemetry = new RespanTelemetry({ apiKey: "test-key-123456", baseUrl: receiver.url, env: {}, ...options });
  cleanups.push(async () => {
    await telemetry.shutdown();
    await receiver.close();
  });
  return { telemetry, receiver };
}

/** Registers a cleanup to run after the current test. */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(async () => {
    await fn();
  });
}
