// A chat widget embedded on another site: it exports to a relay on a different origin
// (window.RELAY_URL, set by the page that embeds it).
import { RespanTelemetry, withTask } from "respan-tracing";

const telemetry = new RespanTelemetry({ appName: "embedded-widget", exportUrl: window.RELAY_URL, env: {} });

/** One span, flushed while the page stays open: fetch (keepalive) to the relay. */
window.traceAndFlush = async (name) => {
  withTask({ name }, () => "answered");
  await telemetry.flush({ timeoutMs: 10_000 });
  return telemetry.getDeliveryStats();
};

/** One span, then the page is left at once: only a beacon (or its fallback) can deliver it. */
window.spanThenLeave = (name) => {
  withTask({ name }, () => "clicked");
  location.href = "/blank";
};
window.widgetReady = true;
