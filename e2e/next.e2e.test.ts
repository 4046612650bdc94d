import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endedBy, spanNamed, startOtlpReceiver, type OtlpReceiver } from "../test/helpers/otlp-receiver.js";
import { checkAll } from "./conformance/checks.js";
import { startMockLlmServer } from "../examples/node-tutorial/mock-llm-server.mjs";
import { buildAndStartNext, type NextServer } from "./harness/next-server.js";

describe("conformance: Next.js (next build + next start) route handlers", () => {
  let next: NextServer;
  /** Where the app's own telemetry (instrumentation.ts → registerRespan) exports. */
  let appReceiver: OtlpReceiver;

  let llm: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    appReceiver = await startOtlpReceiver();
    llm = await startMockLlmServer();
    next = await buildAndStartNext({ TEST_EXPORT_URL: `${appReceiver.url}/v1/traces`, TEST_LLM_URL: llm.url });
  });

  afterAll(async () => {
    await next?.stop();
    await appReceiver?.close();
    await llm?.close();
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
      body: JSON.stringify({ prompt: "Tell me a joke, matey" }),
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const events = (await response.text()).split("\n\n").filter(Boolean);
    expect(events.length).toBeGreaterThan(2);
    const text = events.map((event) => JSON.parse(event.slice("data: ".length)) as string).join("");
    const spans = await appReceiver.waitForSpans(2, 15_000);
    const root = spanNamed(spans, `POST /api/chat/${route}`);
    const llmSpan = spanNamed(spans, "openai.chat");
    expect(root).toMatchObject({ traceId: "0af7651916cd43dd8448eb211c80319c", parentSpanId: "b7ad6b7169203331" });
    expect(llmSpan.parentSpanId).toBe(root.spanId);
    expect(llmSpan.attributes).toMatchObject({ "llm.is_streaming": true, "gen_ai.completion.0.content": text, "gen_ai.prompt.0.content": "Tell me a joke, matey" });
    expect(llmSpan.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
    expect(root.attributes["http.response.status_code"]).toBe(200);
    expect(endedBy(llmSpan, root)).toBe(true);
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
