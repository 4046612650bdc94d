// The same handler in the edge runtime (Next's edge-light build of respan-tracing).
export { POST } from "../../../lib/chat-handler";

export const runtime = "edge";
export const dynamic = "force-dynamic";
