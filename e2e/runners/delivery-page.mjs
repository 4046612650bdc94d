// Browser page for delivery tests: spans that must survive navigation and the 64 KiB quota.
import { RespanTelemetry, getClient, withTask } from "respan-tracing";

// Count beacons across navigations (installed before the SDK captures sendBeacon).
const realBeacon = navigator.sendBeacon.bind(navigator);
navigator.sendBeacon = (url, data) => {
  sessionStorage.setItem("beacons", String(Number(sessionStorage.getItem("beacons") ?? 0) + 1));
  return realBeacon(url, data);
};
window.beaconCount = () => Number(sessionStorage.getItem("beacons") ?? 0);

const telemetry = new RespanTelemetry({ appName: "browser-delivery", exportUrl: "/v1/traces", env: {} });

/** Ends a span and leaves the page at once: only a beacon on pagehide can deliver it. */
window.spanThenLeave = (name) => {
  withTask({ name }, () => "clicked");
  location.href = "/blank";
};

/** A span carrying a 200 KB prompt: too big for one keepalive body, so it is truncated, marked. */
window.bigPrompt = async () => {
  withTask({ name: "big_prompt" }, () => {
    getClient().updateCurrentSpan({ attributes: { "gen_ai.prompt.0.content": "ahoy ".repeat(40_000), "gen_ai.system": "openai" } });
  });
  await telemetry.flush();
};

/** 100 spans of ~5 KB: one batch far over 60 KiB, split into several bodies. */
window.manySpans = async () => {
  for (let i = 0; i < 100; i++) withTask({ name: `bulk_${i}` }, () => "y".repeat(5000));
  await telemetry.flush();
};

/** A widget's API calls: same-origin ones carry the trace on; other origins get no header. */
window.fetchFromTask = async (otherOrigin) => {
  const ctx = getClient().currentContext();
  await withTask({ name: "widget_call", context: ctx }, () =>
    Promise.all([fetch("/api/echo?same"), fetch(`${otherOrigin}/api/echo?other`).catch(() => "cors-blocked")]),
  );
  await telemetry.flush();
};

window.deliveryReady = true;
