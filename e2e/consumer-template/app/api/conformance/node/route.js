// The conformance suite behind a Next.js App Router route handler (runtime = "nodejs").
import * as sdk from "respan-tracing";
import { runScenarios } from "../../../../scenarios.mjs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request) {
  const url = new URL(request.url);
  const names = url.searchParams.get("scenarios")?.split(",");
  const reports = await runScenarios(sdk, { exportUrl: url.searchParams.get("exportUrl"), runtime: "next-node", explicit: false }, names);
  return Response.json(reports);
}
