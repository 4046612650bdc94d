export { POST } from "../../../lib/chat-handler";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
