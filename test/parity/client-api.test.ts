/**
 * The Python README's "Update Span Functionality" (example #37): `get_client()` is `getClient()`,
 * `update_current_span(respan_params=…)` is `updateCurrentSpan({ respanParams })` (the params'
 * own keys stay snake_case, as Respan names them).
 */
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { getClient, workflow } from "../../src/runtime/node.js";
import { spanNamed } from "../helpers/otlp-receiver.js";
import { tracedWithReceiver } from "../helpers/setup.js";
import { json, llmClients } from "./parity-helpers.js";

describe("Update Span Functionality (Python README)", () => {
  it("#37 Update Span Functionality: respan params, events, attributes, a new name, and exceptions on the current span", async () => {
    const { telemetry, receiver } = await tracedWithReceiver({ appName: "my-app", instrumentModules: { openai: OpenAI } });
    const { openai: client } = await llmClients();
    const seenTraceIds: string[] = [];

    const makeProcessData = (llm: OpenAI) =>
      workflow({ name: "data_processing" }, async (userId: string, data: Record<string, unknown>) => {
        const kwaiClient = getClient();
        seenTraceIds.push(kwaiClient.getCurrentTraceId()!);
        expect(kwaiClient.getCurrentSpanId()).toMatch(/^[0-9a-f]{16}$/);
        kwaiClient.updateCurrentSpan({
          respanParams: {
            customer_identifier: userId,
            trace_group_identifier: "data-processing-pipeline",
            metadata: { data_size: JSON.stringify(data).length, processing_type: "batch" },
          },
        });
        kwaiClient.addEvent("validation_started", { record_count: Object.keys(data).length });
        // Python's type(data).__name__ ("dict") is the constructor's name here ("Object").
        kwaiClient.updateCurrentSpan({ attributes: { "custom.user_id": userId, "custom.data_type": data.constructor.name } });
        try {
          const response = await llm.chat.completions.create({ model: "gpt-4", messages: [{ role: "user", content: `Process: ${JSON.stringify(data)}` }] });
          const content = response.choices[0]!.message.content ?? "";
          kwaiClient.updateCurrentSpan({ name: "data_processing.success", attributes: { result_length: content.length } });
          return content;
        } catch (error) {
          kwaiClient.recordException(error);
          throw error;
        }
      });

    const result = await makeProcessData(client)("user-123", { key: "value" });
    // The failing branch: an endpoint that answers 404.
    const broken = new OpenAI({ apiKey: "mock-key", baseURL: `${client.baseURL}/missing`, maxRetries: 0 });
    await expect(makeProcessData(broken)("user-456", { key: "value" })).rejects.toThrow(OpenAI.NotFoundError);
    await telemetry.flush();

    const span = spanNamed(receiver.spans, "data_processing.success");
    expect(span.traceId).toBe(seenTraceIds[0]);
    expect(span.attributes).toMatchObject({
      "respan.customer_params.customer_identifier": "user-123",
      "respan.trace.trace_group_identifier": "data-processing-pipeline",
      "custom.user_id": "user-123",
      "custom.data_type": "Object",
      result_length: result.length,
    });
    expect(json(span.attributes["respan.metadata"])).toEqual({ data_size: 15, processing_type: "batch" });
    expect(span.events).toContainEqual({ name: "validation_started", attributes: { record_count: 1 } });
    expect(json(span.attributes["traceloop.entity.input"])).toEqual({ args: ["user-123", { key: "value" }], kwargs: {} });
    expect(receiver.spans.filter((s) => s.name === "openai.chat" && s.parentSpanId === span.spanId)).toHaveLength(1);

    const failed = spanNamed(receiver.spans, "data_processing.workflow");
    expect(failed.status.code).toBe(2); // ERROR
    expect(failed.events.some((e) => e.name === "exception" && String(e.attributes["exception.message"]).includes("404"))).toBe(true);
  });
});
