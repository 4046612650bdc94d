import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { encodeInBodies } from "../src/core/fit-to-size.js";
import { decodeOtlpJson } from "./helpers/otlp-receiver.js";
import { getClient, withTask } from "../src/runtime/node.js";
import { tracedWithReceiver } from "./helpers/setup.js";

const encode = (spans: Parameters<typeof JsonTraceSerializer.serializeRequest>[0]) => JsonTraceSerializer.serializeRequest(spans)!;
const decode = (body: Uint8Array) => decodeOtlpJson(JSON.parse(new TextDecoder().decode(body)));

async function makeSpans(count: number, attributeChars: number) {
  const exporter = new InMemorySpanExporter();
  const { telemetry } = await tracedWithReceiver({ customExporter: exporter });
  for (let i = 0; i < count; i++) {
    withTask({ name: `s${i}`, traceContent: false }, () => getClient().updateCurrentSpan({ attributes: { payload: "é".repeat(attributeChars), small: "keep" } }));
  }
  await telemetry.flush();
  return exporter.getFinishedSpans();
}

describe("fitting export bodies to a size limit (browser keepalive/beacon quota)", () => {
  it("splits a batch into bodies under the limit, keeping every span whole", async () => {
    const spans = await makeSpans(40, 2000);
    const { bodies, unsendable } = encodeInBodies(spans, 20_000, encode);
    expect(unsendable).toEqual([]);
    expect(bodies.length).toBeGreaterThan(4);
    for (const body of bodies) expect(body.byteLength).toBeLessThanOrEqual(20_000);
    const decoded = bodies.flatMap(decode);
    expect(decoded.map((s) => s.name).sort()).toEqual(spans.map((s) => s.name).sort());
    expect(decoded.every((s) => (s.attributes.payload as string).length === 2000)).toBe(true);
  });

  it("truncates the largest values of a span too big alone, with a marker, multi-byte safe", async () => {
    const [span] = await makeSpans(1, 100_000);
    const { bodies, unsendable } = encodeInBodies([span!], 20_000, encode);
    expect(unsendable).toEqual([]);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]!.byteLength).toBeLessThanOrEqual(20_000);
    const [received] = decode(bodies[0]!);
    expect(received!.attributes.payload).toMatch(/^é+…\[truncated \d+ chars\]$/);
    expect(received!.attributes.small).toBe("keep");
    expect(span!.attributes.payload).toHaveLength(100_000); // the original span is untouched
  });

  it("reports a span that cannot be made to fit instead of looping or throwing", async () => {
    const [span] = await makeSpans(1, 10);
    const { bodies, unsendable } = encodeInBodies([span!], 100, encode);
    expect(bodies).toEqual([]);
    expect(unsendable).toEqual([span]);
  });
});
