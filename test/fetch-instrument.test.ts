import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { Instruments, withTask } from "../src/runtime/node.js";
import { spanNamed } from "./helpers/otlp-receiver.js";
import { onCleanup, tracedWithReceiver } from "./helpers/setup.js";

async function echoServer(): Promise<{ url: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    seen.push(request.headers);
    response.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe("the FETCH instrument", () => {
  it("makes a client span per fetch inside an entity and injects traceparent only for chosen targets", async () => {
    const target = await echoServer();
    const other = await echoServer();
    const { telemetry, receiver } = await tracedWithReceiver({ tracePropagationTargets: [target.url] });
    await withTask({ name: "calls" }, async () => {
      expect(await (await fetch(`${target.url}/api/chat?q=secret`)).text()).toBe("ok");
      await fetch(`${other.url}/elsewhere`, { method: "POST", body: "x" });
    });
    await telemetry.flush();
    const spans = await receiver.waitForSpans(3);
    const task = spanNamed(spans, "calls.task");
    const toTarget = spans.find((s) => s.attributes["url.full"] === `${target.url}/api/chat`)!;
    expect(toTarget).toMatchObject({ parentSpanId: task.spanId, kind: 3 });
    expect(toTarget.attributes).toMatchObject({ "http.request.method": "GET", "http.response.status_code": 200 });
    expect(target.seen[0]!.traceparent).toBe(`00-${toTarget.traceId}-${toTarget.spanId}-01`);
    expect(other.seen[0]!.traceparent).toBeUndefined();
    // The SDK's own export requests are never traced.
    expect(spans.filter((s) => s.attributes["url.full"]?.toString().includes("/v2/traces"))).toEqual([]);
  });

  it("fetch outside any entity is noise to the default processor; blocked FETCH makes no span", async () => {
    const target = await echoServer();
    const { telemetry, receiver } = await tracedWithReceiver({ blockInstruments: new Set([Instruments.FETCH]) });
    await fetch(`${target.url}/outside`);
    await withTask({ name: "blocked" }, () => fetch(`${target.url}/inside`));
    await telemetry.flush();
    const spans = await receiver.waitForSpans(1);
    expect(spans.map((s) => s.name)).toEqual(["blocked.task"]);
  });
});
