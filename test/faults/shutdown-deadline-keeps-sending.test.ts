/**
 * SPEC §11 Bounded waits: "shutdown({ timeoutMs }) resolves by the deadline ... giving up on exports
 * still in flight then", so a script whose endpoint hangs can end promptly.
 *
 * QueueingSpanProcessor drains its queue batch by batch (sendAll). When shutdown's deadline passes,
 * telemetry.shutdown() calls abortInFlight(), which settles only the batch in flight; sendAll's
 * loop then takes the NEXT batch and hands it to the exporter with a fresh AbortController that
 * nothing aborts. So after shutdown() resolved the SDK keeps opening export requests (each kept
 * alive by its own 10 s request timeout and 60 s retry deadline): the process cannot exit.
 */
import { describe, expect, it } from "vitest";
import { RespanTelemetry, withTask } from "../../src/runtime/node.js";
import { silentServer } from "../helpers/silent-server.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));


describe("shutdown({ timeoutMs }) past its deadline", () => {
  it("sends nothing more once it resolved (more than one batch queued, endpoint hangs)", async () => {
    const { url, requests: connections } = await silentServer();
    const telemetry = new RespanTelemetry({ exportUrl: url, env: {}, blockInstruments: new Set(["fetch" as never]) });
    // 1,100 spans: the 512th starts a drain (first request, hangs); 588 more wait behind it.
    for (let i = 0; i < 1100; i++) withTask({ name: `t${i}` }, () => i);
    for (let i = 0; i < 50 && connections() === 0; i++) await sleep(100);
    expect(connections()).toBe(1); // the first batch is in flight (encoding 512 spans may take a moment)

    const started = Date.now();
    await telemetry.shutdown({ timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(2_000);
    const atShutdown = connections();
    await sleep(1_000);
    expect(connections(), "export requests opened after shutdown() resolved").toBe(atShutdown);
  });
});
