/**
 * The relay the chat page exports its spans to. Same origin, so no CORS; the relay checks origin,
 * size and shape, then forwards them where the server's own spans go: RESPAN_EXPORT_URL when set,
 * else Respan with RESPAN_API_KEY, which is added here and never reaches the browser.
 */
import { createTraceRelay } from "respan-tracing/relay";
import { LOCAL_VIEWER, toLocalViewer } from "../../../lib/destination";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * The origin the page was loaded from, as the browser sees it: from the Host header, because
 * Next's `request.url` names the host Next was started with (`localhost` under `next start -H
 * 127.0.0.1`). A page elsewhere still sends its own Origin, which will not match.
 */
function ownOrigin(request: Request): string {
  const protocol = request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "");
  return `${protocol}://${request.headers.get("host") ?? new URL(request.url).host}`;
}

export async function POST(request: Request): Promise<Response> {
  const apiKey = process.env.RESPAN_API_KEY || undefined;
  // The server's own spans' destination: RESPAN_EXPORT_URL, else Respan with the key, else the local viewer.
  const exportUrl = process.env.RESPAN_EXPORT_URL || (toLocalViewer() ? LOCAL_VIEWER : undefined);
  // Pages of this app's own origin, plus any listed in ALLOWED_ORIGINS (comma-separated).
  const extra = (process.env.ALLOWED_ORIGINS ?? "").split(",").map((origin) => origin.trim()).filter(Boolean);
  // Cheap to make (no I/O); made per request because the allowed origin is this request's own.
  return createTraceRelay({ apiKey, exportUrl, allowedOrigins: [ownOrigin(request), ...extra] })(request);
}
