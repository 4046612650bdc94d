export { POST } from "../../../../lib/chat-handler.js";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
