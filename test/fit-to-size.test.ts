import { encodeOtlpJson } from "../src/core/otlp-json.js";
import { trace } from "@opentelemetry/api";
import fc from "fast-check";
import { resourceFromAttributes } from "@opentelemetry/resources";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { encodeInBodies } from "../src/core/fit-to-size.js";
import { decodeOtlpJson } from "./helpers/otlp-receiver.js";
import { getClient, withTask } from "../src/runtime/node.js";
import { tracedWithReceiver } from "./helpers/setup.js";

const encode = encodeOtlpJson;
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
    const { bodies, counts, unsendable } = encodeInBodies(spans, 20_000, encode);
    expect(unsendable).toEqual([]);
    expect(bodies.length).toBeGreaterThan(4);
    for (const body of bodies) expect(body.byteLength).toBeLessThanOrEqual(20_000);
    // Each body's span count (the exporter counts a partly delivered batch by them).
    expect(counts).toEqual(bodies.map((body) => decode(body).length));
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

describe("fitting a span made big by events, links and many values (hostile shapes)", () => {
  async function spanWith(build: (span: import("@opentelemetry/api").Span) => void) {
    const exporter = new InMemorySpanExporter();
    const { telemetry } = await tracedWithReceiver({ customExporter: exporter });
    withTask({ name: "big", traceContent: false }, () => build(trace.getActiveSpan()!));
    await telemetry.flush();
    return exporter.getFinishedSpans()[0]!;
  }

  it("terminates and delivers a span whose events (not attributes) make it too big", async () => {
    const span = await spanWith((s) => {
      s.setAttribute("payload", "x".repeat(300));
      for (let i = 0; i < 50; i++) s.addEvent(`event-${i}`, { detail: "y".repeat(2000) });
    });
    const { bodies, unsendable } = encodeInBodies([span], 20_000, encode);
    expect(unsendable).toEqual([]);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]!.byteLength).toBeLessThanOrEqual(20_000);
    expect(decode(bodies[0]!)[0]!.name).toBe("big.task");
  });

  it("drops events, then links, then non-essential attributes, keeping the span in its trace", async () => {
    const span = await spanWith((s) => {
      for (let i = 0; i < 400; i++) s.setAttribute(`k${i}`, i);
      for (let i = 0; i < 200; i++) s.addEvent(`e${i}`);
    });
    const { bodies, unsendable } = encodeInBodies([span], 2_000, encode);
    expect(unsendable).toEqual([]);
    const [received] = decode(bodies[0]!);
    expect(received!.attributes["traceloop.entity.name"]).toBe("big");
    expect(received!.attributes["respan.truncated"]).toBe(true);
    expect(received!.traceId).toBe(span.spanContext().traceId);
  });

  it("property: any mix of long values, events and links fits or is reported, never loops", () => {
    const shape = fc.record({
      attributes: fc.array(fc.nat({ max: 5000 }), { maxLength: 8 }),
      events: fc.array(fc.nat({ max: 3000 }), { maxLength: 30 }),
      links: fc.nat({ max: 20 }),
      limit: fc.integer({ min: 200, max: 30_000 }),
    });
    fc.assert(
      fc.property(shape, ({ attributes, events, links, limit }) => {
        const span = fakeSpan(attributes, events, links);
        const { bodies, unsendable } = encodeInBodies([span], limit, encode);
        expect(bodies.length + unsendable.length).toBe(1);
        for (const body of bodies) expect(body.byteLength).toBeLessThanOrEqual(limit);
        // A span with an essential core that fits is always delivered.
        if (limit >= 2000) expect(unsendable).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

function fakeSpan(attributeLengths: number[], eventLengths: number[], linkCount: number): ReadableSpan {
  const ctx = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1 };
  const attributes: Record<string, string> = { "traceloop.entity.name": "fake" };
  attributeLengths.forEach((length, i) => (attributes[`a${i}`] = "é".repeat(length)));
  return {
    name: "fake.task",
    kind: 0,
    spanContext: () => ctx,
    startTime: [1, 0],
    endTime: [2, 0],
    duration: [1, 0],
    ended: true,
    status: { code: 0 },
    attributes,
    events: eventLengths.map((length, i) => ({ name: `e${i}`, time: [1, 5] as [number, number], attributes: { text: "ü".repeat(length) } })),
    links: Array.from({ length: linkCount }, () => ({ context: ctx, attributes: { why: "z".repeat(100) } })),
    resource: resourceFromAttributes({ "service.name": "x" }),
    instrumentationScope: { name: "test" },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}
