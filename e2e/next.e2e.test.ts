import { afterAll, beforeAll, describe, it } from "vitest";
import { startOtlpReceiver } from "../test/helpers/otlp-receiver.js";
import { checkAll } from "./conformance/checks.js";
import { buildAndStartNext, type NextServer } from "./harness/next-server.js";

describe("conformance: Next.js (next build + next start) route handlers", () => {
  let next: NextServer;

  beforeAll(async () => {
    next = await buildAndStartNext();
  });

  afterAll(async () => {
    await next?.stop();
  });

  it.each([
    ["nodejs", "node", "node"],
    ["edge", "edge", "edge-light"],
  ])('passes every scenario in a runtime = "%s" route', async (_runtime, route, build) => {
    const receiver = await startOtlpReceiver();
    try {
      const response = await fetch(`${next.url}/api/conformance/${route}?exportUrl=${encodeURIComponent(`${receiver.url}/v1/traces`)}`);
      const reports = (await response.json()) as Record<string, Record<string, unknown>>;
      checkAll(`next-${route}`, receiver.spans, reports, build);
    } finally {
      await receiver.close();
    }
  });
});
