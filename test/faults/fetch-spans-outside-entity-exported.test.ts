/**
 * SPEC §5: "The default Respan processor drops noise: … framework spans (next.*, bare http)
 * outside any entity are dropped." The FETCH instrument (on by default in Node) starts its client
 * spans on the SDK's own tracer (fetch.ts: host.tracer), and noise-filter.ts keeps EVERY span whose
 * instrumentation scope is "respan-tracing". So every outgoing fetch of a Node server — health
 * checks, webhooks, polling, calls to other services — is exported to Respan even though it
 * belongs to no workflow/task, one span per request.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { withTask } from "../../src/runtime/node.js";
import { onCleanup, tracedWithReceiver } from "../helpers/setup.js";

describe("bare fetch spans outside any entity", () => {
  it("are not exported by the default processor; a fetch inside a task is", async () => {
    const service = createServer((_request, response) => response.end("pong"));
    await new Promise<void>((resolve) => service.listen(0, "127.0.0.1", resolve));
    onCleanup(() => new Promise<void>((resolve) => service.close(() => resolve())));
    const url = `http://127.0.0.1:${(service.address() as AddressInfo).port}/health`;
    const { telemetry, receiver } = await tracedWithReceiver();
    for (let i = 0; i < 3; i++) await (await fetch(url)).text(); // background polling, no entity
    await withTask({ name: "call_service" }, async () => (await fetch(url)).text());
    await telemetry.flush();
    await receiver.waitForSpans(2, 3000).catch(() => undefined);
    const names = receiver.spans.map((s) => s.name);
    expect(names.filter((n) => n.startsWith("GET ")), `exported: ${names.join(", ")}`).toHaveLength(1);
    expect(names).toContain("call_service.task");
  });
});
