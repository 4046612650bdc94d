// Dedicated Web Worker runner (bundled for the "browser" condition, loaded as a module worker):
// no document, no window. The page posts the export URL; the worker answers with what happened.
import { RespanTelemetry, getClient, withTask, withWorkflow } from "respan-tracing";

self.onmessage = async ({ data }) => {
  try {
    const telemetry = new RespanTelemetry({ appName: "web-worker", exportUrl: data.exportUrl });
    await withWorkflow({ name: "worker_job" }, async () => {
      // Browsers have no async context: hand the parent down explicitly across the await.
      const parent = getClient().currentContext();
      await new Promise((resolve) => setTimeout(resolve, 5));
      await withTask({ name: "worker_step", context: parent }, async () => {
        // The worker's own call to its origin, which gets traceparent by default.
        await fetch(`${self.location.origin}/ping`);
      });
    });
    await telemetry.flush();
    const stats = telemetry.getDeliveryStats();
    // Undoes the flush triggers, which must not reach for a page either.
    await telemetry.shutdown();
    self.postMessage({ ok: true, runtime: telemetry.runtime, hasDocument: typeof document !== "undefined", hasWindow: typeof window !== "undefined", stats });
  } catch (error) {
    self.postMessage({ error: String(error?.stack ?? error) });
  }
};
self.postMessage({ ready: true });
