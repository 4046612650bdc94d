// Deno runner for partial --allow-env grants: RESPAN_* from Deno.env, exportUrl from argv when given.
import { RespanTelemetry, withTask, withWorkflow } from "respan-tracing";

const exportUrl = Deno.args[0];
const telemetry = new RespanTelemetry({ appName: "deno-partial-env", ...(exportUrl ? { exportUrl } : {}) });
withWorkflow({ name: "partial_env" }, () => withTask({ name: "step" }, () => 1));
await telemetry.shutdown();
console.log(`REPORT ${JSON.stringify({ build: telemetry.runtime })}`);
