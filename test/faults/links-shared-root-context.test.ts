/**
 * SPEC §11 Isolation: "Nothing one request attaches (links, buffers, scopes) is visible to another
 * request, on any runtime. Top-level state shared by a whole process is a bug."
 *
 * In a plain Node HTTP server (no wrapper around the handler, no instrumentWorker/withRespan), every
 * request runs in ROOT_CONTEXT. attachSpanLinks() stores links in a WeakMap keyed by the active
 * context, so all requests share ONE pending-links holder: request B's span takes the link that
 * request A attached, and A's own span loses it.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { RespanTelemetry, SpanLink, attachSpanLinks, withTask } from "../../src/runtime/node.js";
import { onCleanup } from "../helpers/setup.js";
import { memoryExporter } from "./memory-exporter.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("attachSpanLinks in concurrent Node requests without a wrapper", () => {
  it("a link attached by request A is never taken by request B's span", async () => {
    const exporter = memoryExporter();
    const telemetry = new RespanTelemetry({ customExporter: exporter, env: {}, blockInstruments: new Set(["fetch" as never]) });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    const server = createServer(async (request, response) => {
      const id = request.url!.slice(1);
      // e.g. the producer span of a queued job, read from the request
      if (id === "a") attachSpanLinks([new SpanLink({ traceId: "a".repeat(32), spanId: "a".repeat(16) })]);
      await sleep(id === "a" ? 300 : 100);
      await withTask({ name: `handle_${id}` }, async () => "done");
      response.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await Promise.all([fetch(`${base}/a`).then((r) => r.text()), sleep(20).then(() => fetch(`${base}/b`).then((r) => r.text()))]);
    await telemetry.flush();
    const linksOf = (name: string) => exporter.spans.find((s) => s.name === name)!.links.map((l) => l.context.traceId);
    expect(linksOf("handle_b.task"), "request B got request A's link").toEqual([]);
    expect(linksOf("handle_a.task")).toEqual(["a".repeat(32)]);
  });
});
