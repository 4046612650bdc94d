/**
 * respan-tracing in the browser (Next bundles the package's `browser` build for client code).
 * Spans go to this app's own relay route, /api/respan-traces; no API key is ever given here (the
 * browser build refuses one). The FETCH instrument, on by default, adds `traceparent` to the
 * page's same-origin requests, so /api/chat continues the trace the click started.
 *
 * Made on first use, in the browser only: client components are also rendered on the server,
 * where this module must not start a second telemetry next to instrumentation.ts's.
 */
import { RespanTelemetry } from "respan-tracing";

let telemetry: RespanTelemetry | undefined;

export function browserTelemetry(): RespanTelemetry {
  telemetry ??= new RespanTelemetry({ appName: "next-chat-browser", exportUrl: "/api/respan-traces" });
  return telemetry;
}
