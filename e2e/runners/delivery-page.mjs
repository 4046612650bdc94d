// Browser page for delivery tests: spans that must survive navigation and the 64 KiB quota.
import { RespanTelemetry, createRespanSpanProcessor, getClient, withTask } from "respan-tracing";

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

/**
 * A span made big by its events, not its attributes (each value already short): fitting it into
 * one keepalive body once looped forever and hung the tab. Resolves with how long it took.
 */
window.eventHeavySpan = async () => {
  const started = performance.now();
  withTask({ name: "event_heavy" }, () => {
    getClient().updateCurrentSpan({ attributes: { payload: "x".repeat(300) } });
    for (let i = 0; i < 60; i++) getClient().addEvent(`chunk_${i}`, { detail: "y".repeat(2000) });
  });
  await telemetry.flush();
  return performance.now() - started;
};

/** The API-key guard holds for createRespanSpanProcessor too, exactly like the constructor. */
window.keyGuards = () => {
  const attempt = (make) => {
    try {
      make();
      return "allowed";
    } catch (error) {
      return String(error.message);
    }
  };
  return {
    constructor: attempt(() => new RespanTelemetry({ apiKey: "sk-browser-leak", env: {} })),
    processor: attempt(() => createRespanSpanProcessor({ apiKey: "sk-browser-leak", env: {} })),
    processorAllowed: attempt(() => createRespanSpanProcessor({ apiKey: "sk-browser-leak", env: {}, dangerouslyAllowBrowser: true })),
  };
};

window.deliveryReady = true;
