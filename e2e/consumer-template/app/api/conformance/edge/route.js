export { GET } from "../../../../lib/conformance-handler.js";

export const runtime = "edge";
export const dynamic = "force-dynamic";
