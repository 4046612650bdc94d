/**
 * Our OTLP/JSON writer (src/core/otlp-json.ts) replaced @opentelemetry/otlp-transformer's
 * JsonTraceSerializer in the export path, to keep that package out of every bundle. What reaches
 * the backend must not change: on arbitrary spans both write the same bytes (so the same document),
 * and both throw on the same malformed spans (the exporter drops those alone).
 */
import type { Attributes, HrTime, Link, SpanContext } from "@opentelemetry/api";
import { TraceState } from "@opentelemetry/core";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace-base";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeOtlpJson } from "../src/core/otlp-json.js";

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const theirs = (spans: ReadableSpan[]) => text(JsonTraceSerializer.serializeRequest(spans));
const ours = (spans: ReadableSpan[]) => text(encodeOtlpJson(spans));

const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString("hex"));
/** Ids as a tracer makes them, and the odd ones a hand-built or deserialized span may carry. */
const id = (bytes: number) => fc.oneof({ weight: 4, arbitrary: hex(bytes) }, { weight: 1, arbitrary: fc.string() });

/** Whole seconds and nanoseconds, as OTel keeps them; fractions and huge seconds too (both truncate). */
const hrTime: fc.Arbitrary<HrTime> = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 4_000_000_000 }), fc.integer({ min: 0, max: 999_999_999 })),
  fc.tuple(fc.double({ min: -1e12, max: 1e15, noNaN: true }), fc.double({ min: -2e9, max: 2e9, noNaN: true })),
);

/** Attribute values: OTel's types, plus what JavaScript callers actually pass (nested objects, bytes, holes, bigints…). */
const value = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }), // lone surrogates, control characters
  fc.string({ unit: "grapheme" }),
  fc.double(), // NaN, ±Infinity, -0
  fc.integer(),
  fc.constantFrom(2 ** 53 + 2, 2 ** 64, 1e21, -(2 ** 63), Number.MAX_VALUE, Number.MIN_VALUE),
  fc.boolean(),
  fc.array(fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined))),
  fc.uint8Array({ maxLength: 40 }),
  fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withBoxedValues: true }),
);
const attributes = fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("__proto__", "toJSON", "0", "gen_ai.prompt.0.content")), value, {
  maxKeys: 6,
  noNullPrototype: false,
}) as fc.Arbitrary<Attributes>;
const count = fc.option(fc.nat({ max: 1000 }), { nil: undefined });
const traceState = fc.option(fc.constantFrom("", "a=1", "vendor=abc,rojo=00f067aa0ba902b7"), { nil: undefined }).map((s) => (s === undefined ? undefined : new TraceState(s)));

const spanContext = fc.record(
  { traceId: id(16), spanId: id(8), traceFlags: fc.integer({ min: 0, max: 0x3ff }), isRemote: fc.option(fc.boolean(), { nil: undefined }), traceState },
  { requiredKeys: ["traceId", "spanId", "traceFlags"] },
) as fc.Arbitrary<SpanContext>;

const event = fc.record(
  { name: fc.string(), time: hrTime, attributes, droppedAttributesCount: count },
  { requiredKeys: ["name", "time"] },
) as fc.Arbitrary<TimedEvent>;

const link = fc.record({ context: spanContext, attributes, droppedAttributesCount: count }, { requiredKeys: ["context"] }) as fc.Arbitrary<Link>;

/** A few resources and scopes shared by the batch's spans, so grouping (by resource identity, then scope key) is exercised. */
const resources = fc.array(
  fc.record({ attributes, schemaUrl: fc.option(fc.constantFrom("", "https://opentelemetry.io/schemas/1.24.0"), { nil: undefined }) }).map(({ attributes, schemaUrl }) =>
    resourceFromAttributes(attributes, schemaUrl === undefined ? undefined : { schemaUrl }),
  ),
  { minLength: 1, maxLength: 3 },
);
const scopes = fc.array(
  fc.record(
    {
      name: fc.constantFrom("respan-tracing", "openai", ""),
      version: fc.option(fc.constantFrom("0.1.0", "1.2.3", ""), { nil: undefined }),
      schemaUrl: fc.option(fc.constantFrom("https://opentelemetry.io/schemas/1.24.0", ""), { nil: undefined }),
      attributes,
      droppedAttributesCount: count,
    },
    { requiredKeys: ["name"] },
  ),
  { minLength: 1, maxLength: 4 },
);

const spanShape = fc.record({
  resource: fc.nat(),
  scope: fc.nat(),
  context: spanContext,
  parent: fc.option(spanContext.chain((c) => fc.constantFrom(c, { ...c, spanId: "" })), { nil: undefined }),
  name: fc.string({ unit: "grapheme" }),
  kind: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
  startTime: hrTime,
  endTime: hrTime,
  attributes,
  droppedAttributesCount: count,
  events: fc.array(event, { maxLength: 3 }),
  droppedEventsCount: count,
  links: fc.array(link, { maxLength: 3 }),
  droppedLinksCount: count,
  status: fc.record({ code: fc.integer({ min: 0, max: 2 }), message: fc.option(fc.string(), { nil: undefined }) }, { requiredKeys: ["code"] }),
});

const batch = fc.tuple(resources, scopes, fc.array(spanShape, { minLength: 1, maxLength: 8 })).map(([resourcePool, scopePool, shapes]) =>
  shapes.map(
    ({ resource, scope, context, parent, ...rest }) =>
      ({
        ...rest,
        spanContext: () => context,
        parentSpanContext: parent,
        resource: resourcePool[resource % resourcePool.length]!,
        // A fresh object per span: grouping is by the scope's name, version and schema URL, not by identity.
        instrumentationScope: { ...scopePool[scope % scopePool.length]! },
        ended: true,
        duration: [0, 0],
      }) as unknown as ReadableSpan,
  ),
);

describe("OTLP/JSON writer (src/core/otlp-json.ts)", () => {
  it("property: writes exactly what OpenTelemetry's JsonTraceSerializer writes, for arbitrary batches", () => {
    fc.assert(
      fc.property(batch, (spans) => {
        const written = ours(spans);
        expect(written).toBe(theirs(spans));
        expect(JSON.parse(written)).toEqual(JSON.parse(theirs(spans)));
      }),
      { numRuns: 1500 },
    );
  });

  it("writes the document the backend reads: hex ids, nanosecond strings, typed values, flags", () => {
    const span = {
      name: "answer.task",
      kind: 0,
      spanContext: () => ({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1 }),
      parentSpanContext: { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "00f067aa0ba902b7", traceFlags: 1, isRemote: true },
      startTime: [1_700_000_000, 5],
      endTime: [1_700_000_001, 999_999_999],
      attributes: { s: "é", i: 3, d: 0.5, b: true, a: [1, "x"], bytes: new Uint8Array([104, 105]) },
      events: [{ name: "e", time: [1, 2] }],
      links: [],
      status: { code: 2, message: "boom" },
      resource: resourceFromAttributes({ "service.name": "app" }),
      instrumentationScope: { name: "respan-tracing", version: "0.1.0" },
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    } as unknown as ReadableSpan;
    const [resourceSpans] = JSON.parse(ours([span])).resourceSpans;
    expect(resourceSpans.resource.attributes).toEqual([{ key: "service.name", value: { stringValue: "app" } }]);
    expect(resourceSpans.scopeSpans[0].scope).toEqual({ name: "respan-tracing", version: "0.1.0" });
    const [encoded] = resourceSpans.scopeSpans[0].spans;
    expect(encoded).toMatchObject({
      traceId: "0af7651916cd43dd8448eb211c80319c",
      spanId: "b7ad6b7169203331",
      parentSpanId: "00f067aa0ba902b7",
      kind: 1,
      startTimeUnixNano: "1700000000000000005",
      endTimeUnixNano: "1700000001999999999",
      status: { code: 2, message: "boom" },
      flags: 0x301,
      events: [{ name: "e", timeUnixNano: "1000000002", attributes: [], droppedAttributesCount: 0 }],
    });
    expect(encoded.attributes).toEqual([
      { key: "s", value: { stringValue: "é" } },
      { key: "i", value: { intValue: 3 } },
      { key: "d", value: { doubleValue: 0.5 } },
      { key: "b", value: { boolValue: true } },
      { key: "a", value: { arrayValue: { values: [{ intValue: 1 }, { stringValue: "x" }] } } },
      { key: "bytes", value: { bytesValue: "aGk=" } },
    ]);
  });

  it("throws where OpenTelemetry's encoder throws, on malformed spans (the exporter then drops them alone)", () => {
    const good = fc.sample(batch, { numRuns: 1, seed: 11 })[0]![0]!;
    const malformed: Array<Record<string, unknown>> = [
      { resource: undefined },
      { instrumentationScope: undefined },
      { startTime: [Number.NaN, 0] },
      { endTime: undefined },
      { events: undefined },
      { links: undefined },
      { status: undefined },
      { attributes: undefined },
    ];
    for (const change of malformed) {
      const span = { ...good, ...change } as unknown as ReadableSpan;
      expect(() => theirs([span]), JSON.stringify(Object.keys(change))).toThrow();
      expect(() => ours([span]), JSON.stringify(Object.keys(change))).toThrow();
    }
  });
});
