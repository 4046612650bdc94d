// Cloudflare Worker runner, bundled the way wrangler resolves conditions (workerd, worker, browser).
import * as sdk from "respan-tracing";
import { runScenarios } from "./scenarios.mjs";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const names = url.searchParams.get("scenarios")?.split(",");
    const reports = await runScenarios(sdk, { exportUrl: env.EXPORT_URL, runtime: env.RUNTIME_LABEL, explicit: env.EXPLICIT === "1" }, names);
    return Response.json(reports);
  },
};
