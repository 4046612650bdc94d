/**
 * Cloudflare Workers: a response body the runtime is still sending (a wrapped stream, read by
 * workerd's own pump, not by JS) while the isolate collects garbage must not be taken for
 * abandoned: the request's span and the task's span end when the body is done, complete. Real
 * workerd (Miniflare), where FinalizationRegistry callbacks run (enable_weak_ref is the default
 * from compatibility date 2025-05-05). Registering the tracked stream object itself (workerd's
 * wrapper of a C++ stream) instead of its underlying source fails this test.
 */
import { Miniflare } from "miniflare";
import { describe, expect, it } from "vitest";
import { startOtlpReceiver } from "../helpers/otlp-receiver.js";
import { bundleFixture } from "../helpers/bundle-fixture.js";
import { onCleanup } from "../helpers/setup.js";

describe("workerd: a streamed response body sent while the isolate collects", () => {
  it("ends its spans when sent, whole, never as abandoned", async () => {
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    const script = await bundleFixture("abandoned-streams-worker.mjs", ["workerd", "worker", "browser"]);
    const mf = new Miniflare({
      modules: [{ type: "ESModule", path: "worker.mjs", contents: script }],
      compatibilityDate: "2025-09-01",
      // FinalizationRegistry callbacks run: enable_weak_ref is the default from compatibility date 2025-05-05.
      compatibilityFlags: ["nodejs_als"],
      bindings: { EXPORT_URL: `${receiver.url}/v1/traces` },
    });
    onCleanup(() => mf.dispose());

    for (let round = 0; round < 3; round++) {
      const response = await mf.dispatchFetch("http://worker/slow");
      const reader = response.body!.getReader();
      let text = "";
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        text += new TextDecoder().decode(r.value);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(text).toBe("c0 c1 c2 c3 c4 c5 c6 c7 ");
    }
    const deadline = Date.now() + 10_000;
    while (receiver.spans.length < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.spans.map((s) => s.name).sort()).toEqual(["GET /slow", "GET /slow", "GET /slow", "body.task", "body.task", "body.task"]);
    for (const span of receiver.spans) expect(span.attributes["respan.stream.abandoned"], span.name).toBeUndefined();
    expect(receiver.spans.filter((s) => s.name === "body.task").map((s) => s.attributes["traceloop.entity.output"])).toEqual(Array(3).fill(JSON.stringify("c0 c1 c2 c3 c4 c5 c6 c7 ")));
  });
});
