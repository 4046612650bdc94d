// Browser runner for respan-tracing/zone: context follows callbacks and promises without passing it.
import "zone.js";
import * as sdk from "respan-tracing";
import { registerZoneContextManager } from "respan-tracing/zone";

const registered = registerZoneContextManager();

window.runZone = async (exportUrl) => {
  const telemetry = new sdk.RespanTelemetry({ appName: "zone", exportUrl, env: {} });
  await sdk.withWorkflow({ name: "callbacks_root" }, () =>
    new Promise((resolve) => {
      setTimeout(() => {
        sdk.withTask({ name: "after_timeout" }, () => 1);
        Promise.resolve().then(() => {
          sdk.withTask({ name: "after_then" }, () => 1);
          resolve();
        });
      }, 5);
    }),
  );
  // The documented limit: a native `await` (ES2017+) resumes outside the zone.
  await sdk.withWorkflow({ name: "async_root" }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    sdk.withTask({ name: "after_await" }, () => 1);
  });
  await telemetry.shutdown();
  return { registered };
};
window.zoneReady = true;
