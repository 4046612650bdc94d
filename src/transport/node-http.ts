import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Transport, TransportRequest, TransportResponse } from "../core/transport.js";

/** OTel JS exporters abort a request after 10 s; the same bound keeps a hung socket from stalling the queue. */
const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * 307/308 redirects followed, as `fetch` (which this transport replaced) follows them with the body;
 * e.g. an `http://` base URL the server moves to `https://`. Fetch allows 20; an endpoint needs one or two.
 */
const MAX_REDIRECTS = 5;

/**
 * A transport over `node:http`/`node:https` for the Node build. Node's `fetch` (undici) costs
 * several times more CPU per export request (it copies the body into a web stream and clones the
 * request), measured at ~5–10 µs per traced call in bench/per-call.mjs; OTel's own Node exporter
 * uses `node:http` too. Connections are kept alive between exports; an idle pooled socket is
 * unref'd by Node's agent, so it never keeps a process alive.
 */
/** An answer, with where a redirect points (absolute), if it is one. */
type Answer = TransportResponse & { location?: string };

export function createNodeHttpTransport({ timeoutMs = DEFAULT_TIMEOUT_MS }: { timeoutMs?: number } = {}): Transport {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const sendOnce = ({ url, body, headers, signal }: TransportRequest): Promise<Answer> =>
    new Promise<Answer>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === "https:";
      if (!secure && target.protocol !== "http:") return reject(new Error(`unsupported protocol ${target.protocol}`));
      if (signal?.aborted) return reject(new Error("the SDK gave up on this export"));
      const send = secure ? httpsRequest : httpRequest;
      const req = send(target, { method: "POST", agent: secure ? agents.https : agents.http, headers: { ...headers, "Content-Length": String(body.byteLength) } });
      let done = false;
      const finish = (error: Error | undefined, response?: Answer) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onGiveUp);
        if (error) {
          req.destroy();
          reject(error);
        } else resolve(response!);
      };
      const onGiveUp = () => finish(new Error("the SDK gave up on this export"));
      const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      signal?.addEventListener("abort", onGiveUp);
      req.on("error", (error) => finish(error));
      req.on("response", (res: IncomingMessage) => {
        // Read the body to its end so the connection returns to the pool for the next export.
        res.on("data", () => undefined);
        res.on("error", (error) => finish(error));
        res.on("end", () => {
          const retryAfter = res.headers["retry-after"];
          finish(undefined, { status: res.statusCode ?? 0, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : (retryAfter ?? null), location: resolveLocation(res.headers.location, target) });
        });
      });
      req.end(body);
    });
  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      let answer = await sendOnce(request);
      for (let hops = 0; (answer.status === 307 || answer.status === 308) && answer.location && hops < MAX_REDIRECTS; hops++) {
        answer = await sendOnce({ ...request, url: answer.location, headers: headersFor(answer.location, request) });
      }
      return { status: answer.status, retryAfter: answer.retryAfter };
    },
  };
}

/** As fetch does: the API key (Authorization) never follows a redirect to another origin. */
function headersFor(url: string, request: TransportRequest): Record<string, string> {
  if (new URL(url).origin === new URL(request.url).origin) return request.headers;
  return Object.fromEntries(Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== "authorization"));
}

/** A Location header as an absolute URL; undefined when absent or not a URL (the 3xx then stands as the answer). */
function resolveLocation(location: string | undefined, base: URL): string | undefined {
  if (!location) return undefined;
  try {
    return new URL(location, base).href;
  } catch {
    return undefined;
  }
}
