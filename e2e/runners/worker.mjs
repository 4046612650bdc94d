// Cloudflare Worker runner, bundled the way wrangler resolves conditions (workerd, worker, browser).
import * as sdk from "respan-tracing";
import { runScenarios } from "./scenarios.mjs";

// Constructed at global scope, as Workers users do: this must start no timer and do no I/O.
const globalTelemetry = new sdk.RespanTelemetry({ appName: "global-scope", env: {} });

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/global") return Response.json({ build: globalTelemetry.runtime });
    const names = url.searchParams.get("scenarios")?.split(",");
    const reports = await runScenarios(sdk, { exportUrl: env.EXPORT_URL, runtime: env.RUNTIME_LABEL, explicit: env.EXPLICIT === "1" }, names);
    return Response.json(reports);
  },
};
