export { GET } from "../../../../lib/conformance-handler.js";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
