// Configured only by RESPAN_* environment variables (Deno.env on Deno, process.env on Node).
import { RespanTelemetry, withTask } from "respan-tracing";

const telemetry = new RespanTelemetry({ appName: "env-configured" });
withTask({ name: "from_environment" }, () => 1);
await telemetry.shutdown();
console.log(`REPORT ${JSON.stringify({ build: telemetry.runtime })}`);
