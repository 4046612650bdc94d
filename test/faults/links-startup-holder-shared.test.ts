/**
 * SPEC §11 Isolation. In Node, a link attached outside any wrapper is kept in an
 * AsyncLocalStorage slot entered with `enterWith` (src/core/span-link.ts pendingFor). The holder
 * object entered there is inherited by EVERY async flow created afterwards from that flow, and it
 * is mutated in place (push / splice). So once startup code has attached a link once (and even
 * after a wrapper consumed it), a server started afterwards gives all its requests the SAME holder:
 * request A's attached link is taken by request B's span.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { RespanTelemetry, SpanLink, attachSpanLinks, withTask } from "../../src/runtime/node.js";
import { onCleanup } from "../helpers/setup.js";
import { memoryExporter } from "./memory-exporter.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("attachSpanLinks: a holder entered at startup is shared by every later request", () => {
  it("request A's link never lands on request B's span, even after a startup attach", async () => {
    const exporter = memoryExporter();
    const telemetry = new RespanTelemetry({ customExporter: exporter, env: {}, blockInstruments: new Set(["fetch" as never]) });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));

    // Startup: e.g. a warm-up job linked to the deploy's trace; the link is consumed right away.
    attachSpanLinks([new SpanLink({ traceId: "d".repeat(32), spanId: "d".repeat(16) })]);
    await withTask({ name: "startup" }, async () => "warm");

    const server = createServer(async (request, response) => {
      const id = request.url!.slice(1);
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
    expect(linksOf("startup.task")).toEqual(["d".repeat(32)]);
    expect(linksOf("handle_b.task"), "request B got request A's link").toEqual([]);
    expect(linksOf("handle_a.task")).toEqual(["a".repeat(32)]);
  });
});
