// The conformance suite behind a Next.js App Router route handler, shared by the nodejs and edge
// routes (which differ only in `runtime`); NEXT_RUNTIME tells the spans apart.
import * as sdk from "respan-tracing";
import { runScenarios } from "../scenarios.mjs";

export async function GET(request) {
  const url = new URL(request.url);
  const names = url.searchParams.get("scenarios")?.split(",");
  const runtime = process.env.NEXT_RUNTIME === "edge" ? "next-edge" : "next-node";
  const reports = await runScenarios(sdk, { exportUrl: url.searchParams.get("exportUrl"), runtime, explicit: false }, names);
  return Response.json(reports);
}
