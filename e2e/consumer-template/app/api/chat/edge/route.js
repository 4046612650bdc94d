export { POST } from "../../../../lib/chat-handler.js";

export const runtime = "edge";
export const dynamic = "force-dynamic";
