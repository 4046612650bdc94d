// Ends without flush(): Deno's beforeunload (the event loop is empty) must still deliver the span.
import { RespanTelemetry, withWorkflow } from "respan-tracing";

new RespanTelemetry({ appName: "deno-exit", exportUrl: Deno.args[0], env: {} });
await withWorkflow({ name: "deno_exit" }, async () => "done");
