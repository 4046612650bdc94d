/**
 * relay.ts createTraceRelay: `upstreamTimeoutMs` / `bodyTimeoutMs` are used as given
 * (`options.upstreamTimeoutMs ?? UPSTREAM_TIMEOUT_MS`). Everywhere else the change validates such
 * numbers because they come from `Number(process.env.X)` (deadline.ts timeoutOrDefault,
 * max-queue-size-nan fault). Here NaN becomes setTimeout(NaN) = ~1 ms: every export the relay
 * forwards is aborted and answered 504, and the browser's spans are all lost.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createTraceRelay } from "../../src/integrations/relay.js";
import { onCleanup } from "../helpers/setup.js";

const ORIGIN = "https://chat.example.com";
const OTLP = JSON.stringify({ resourceSpans: [] });
const post = () =>
  new Request("https://chat.example.com/api/respan-traces", { method: "POST", body: OTLP, headers: { origin: ORIGIN, "content-type": "application/json" } });

describe("createTraceRelay with a timeout read from an unset environment variable", () => {
  it("upstreamTimeoutMs: NaN falls back to the default instead of aborting every export", async () => {
    // An upstream that answers after 50 ms.
    const server = createServer((_req, res) => setTimeout(() => res.end("{}"), 50));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const relay = createTraceRelay({
      exportUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`,
      allowedOrigins: [ORIGIN],
      upstreamTimeoutMs: Number(process.env.RESPAN_RELAY_TIMEOUT_MS_UNSET),
      bodyTimeoutMs: Number(process.env.RESPAN_RELAY_BODY_TIMEOUT_MS_UNSET),
    });
    const response = await relay(post());
    expect(response.status).toBe(202);
  });
});
