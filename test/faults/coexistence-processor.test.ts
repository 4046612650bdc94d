/**
 * createRespanSpanProcessor() on someone else's tracer provider (README "If another OpenTelemetry
 * provider is already registered"): it exports what RespanTelemetry's default processor would,
 * from that provider, under `appName`.
 */
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { describe, expect, it } from "vitest";
import { createRespanSpanProcessor, withTask, withWorkflow } from "../../src/runtime/node.js";
import { spanNamed, startOtlpReceiver } from "../helpers/otlp-receiver.js";
import { onCleanup, tracedWithReceiver } from "../helpers/setup.js";

describe("createRespanSpanProcessor on another provider", () => {
  it("exports that provider's spans inside a wrapper (marked and parented) and its LLM spans, under appName; drops its noise", async () => {
    const { telemetry, receiver } = await tracedWithReceiver({ appName: "wrappers" });
    const processor = createRespanSpanProcessor({ appName: "my-shop", apiKey: "k-abcdef", baseUrl: receiver.url, env: {} });
    const provider = new BasicTracerProvider({ spanProcessors: [processor] }); // resource: unknown_service
    onCleanup(() => provider.shutdown());
    const tracer = provider.getTracer("their-lib");
    withWorkflow({ name: "checkout" }, () => withTask({ name: "pay" }, () => tracer.startSpan("db.query").end()));
    withTask({ name: "audited", processors: "audit" }, () => tracer.startSpan("routed.elsewhere").end());
    tracer.startSpan("chat gpt-4o", { attributes: { "gen_ai.system": "openai" } }).end();
    tracer.startSpan("GET /health").end(); // framework noise outside any wrapper
    await telemetry.flush();
    await provider.forceFlush();

    const theirs = receiver.spans.filter((s) => s.scope === "their-lib");
    expect(theirs.map((s) => s.name).sort()).toEqual(["chat gpt-4o", "db.query"]);
    const query = spanNamed(receiver.spans, "db.query");
    expect(query.attributes["traceloop.workflow.name"]).toBe("checkout");
    expect(query.attributes["traceloop.entity.path"]).toBe("checkout.pay");
    const pay = spanNamed(receiver.spans, "pay.task");
    expect(query.parentSpanId).toBe(pay.spanId);
    expect(query.traceId).toBe(pay.traceId);
    for (const span of theirs) expect(span.resource["service.name"]).toBe("my-shop");
    expect(pay.resource["service.name"]).toBe("wrappers");
  });

  it("without appName keeps the provider's own service name, and names an unnamed one like RespanTelemetry does", async () => {
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    const named = new BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": "their-svc" }),
      spanProcessors: [createRespanSpanProcessor({ apiKey: "k-abcdef", baseUrl: receiver.url, env: {}, resourceAttributes: { team: "ai" } })],
    });
    const unnamed = new BasicTracerProvider({ spanProcessors: [createRespanSpanProcessor({ apiKey: "k-abcdef", baseUrl: receiver.url, env: {} })] });
    onCleanup(async () => {
      await named.shutdown();
      await unnamed.shutdown();
    });
    named.getTracer("a").startSpan("from.named", { attributes: { "gen_ai.system": "openai" } }).end();
    unnamed.getTracer("b").startSpan("from.unnamed", { attributes: { "gen_ai.system": "openai" } }).end();
    await named.forceFlush();
    await unnamed.forceFlush();
    await receiver.waitForSpans(2);
    expect(spanNamed(receiver.spans, "from.named").resource).toMatchObject({ "service.name": "their-svc", team: "ai" });
    expect(spanNamed(receiver.spans, "from.unnamed").resource["service.name"]).toBe("respan");
  });

  it("applies traceContent, redact and spanPostprocessCallback to its own copy; the other provider's processors see the span unchanged", async () => {
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    const seenByTheirs: Array<Record<string, unknown>> = [];
    const theirProcessor = { onStart: () => undefined, onEnd: (span: { attributes: Record<string, unknown> }) => seenByTheirs.push({ ...span.attributes }), forceFlush: async () => undefined, shutdown: async () => undefined };
    const processor = createRespanSpanProcessor({
      apiKey: "k-abcdef",
      baseUrl: receiver.url,
      env: {},
      traceContent: false,
      redact: (attributes) => {
        delete attributes["user.email"];
      },
      spanPostprocessCallback: (span) => void ((span.attributes as Record<string, unknown>)["post.processed"] = true),
    });
    const provider = new BasicTracerProvider({ spanProcessors: [processor, theirProcessor as never] });
    onCleanup(() => provider.shutdown());
    provider
      .getTracer("their-llm-lib")
      .startSpan("chat gpt-4o", { attributes: { "gen_ai.system": "openai", "gen_ai.prompt.0.content": "secret prompt", "user.email": "a@b.c" } })
      .end();
    await provider.forceFlush();
    const [span] = await receiver.waitForSpans(1);
    expect(span!.attributes["gen_ai.prompt.0.content"]).toBe("[withheld: traceContent is false]");
    expect(span!.attributes["user.email"]).toBeUndefined();
    expect(span!.attributes["post.processed"]).toBe(true);
    expect(seenByTheirs).toEqual([{ "gen_ai.system": "openai", "gen_ai.prompt.0.content": "secret prompt", "user.email": "a@b.c" }]);
  });
});
