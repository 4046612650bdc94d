import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spanNamed, startOtlpReceiver, type OtlpReceiver } from "../test/helpers/otlp-receiver.js";
import { checkAll } from "./conformance/checks.js";
import { buildAndStartNext, type NextServer } from "./harness/next-server.js";

describe("conformance: Next.js (next build + next start) route handlers", () => {
  let next: NextServer;
  /** Where the app's own telemetry (instrumentation.ts → registerRespan) exports. */
  let appReceiver: OtlpReceiver;

  beforeAll(async () => {
    appReceiver = await startOtlpReceiver();
    next = await buildAndStartNext({ TEST_EXPORT_URL: `${appReceiver.url}/v1/traces` });
  });

  afterAll(async () => {
    await next?.stop();
    await appReceiver?.close();
  });

  it.each([
    ["nodejs", "node"],
    ["edge", "edge"],
  ])('runtime = "%s": a streaming chat route delivers the route span and the LLM span that ended after the response started', async (_runtime, route) => {
    appReceiver.spans.length = 0;
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const response = await fetch(`${next.url}/api/chat/${route}`, {
      method: "POST",
      headers: { "content-type": "application/json", traceparent },
      body: JSON.stringify({ prompt: "matey" }),
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(await response.text()).toBe("data: Ahoy\n\ndata:  \n\ndata: matey\n\n");
    const spans = await appReceiver.waitForSpans(2, 15_000);
    const root = spanNamed(spans, `POST /api/chat/${route}`);
    const llm = spanNamed(spans, "llm_stream.task");
    expect(root).toMatchObject({ traceId: "0af7651916cd43dd8448eb211c80319c", parentSpanId: "b7ad6b7169203331" });
    expect(llm.parentSpanId).toBe(root.spanId);
    expect(root.attributes["http.response.status_code"]).toBe(200);
    expect(BigInt(root.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(llm.endTimeUnixNano));
    expect(root.resource["service.name"]).toBe(`next-app-${_runtime}`);
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
