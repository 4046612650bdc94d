import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Transport, TransportRequest, TransportResponse } from "../core/transport.js";

/** OTel JS exporters abort a request after 10 s; the same bound keeps a hung socket from stalling the queue. */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * A transport over `node:http`/`node:https` for the Node build. Node's `fetch` (undici) costs
 * several times more CPU per export request (it copies the body into a web stream and clones the
 * request), measured at ~5–10 µs per traced call in bench/per-call.mjs; OTel's own Node exporter
 * uses `node:http` too. Connections are kept alive between exports; an idle pooled socket is
 * unref'd by Node's agent, so it never keeps a process alive.
 */
export function createNodeHttpTransport({ timeoutMs = DEFAULT_TIMEOUT_MS }: { timeoutMs?: number } = {}): Transport {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  return {
    send({ url, body, headers, signal }: TransportRequest): Promise<TransportResponse> {
      return new Promise<TransportResponse>((resolve, reject) => {
        const target = new URL(url);
        const secure = target.protocol === "https:";
        if (!secure && target.protocol !== "http:") return reject(new Error(`unsupported protocol ${target.protocol}`));
        if (signal?.aborted) return reject(new Error("the SDK gave up on this export"));
        const send = secure ? httpsRequest : httpRequest;
        const req = send(target, { method: "POST", agent: secure ? agents.https : agents.http, headers: { ...headers, "Content-Length": String(body.byteLength) } });
        let done = false;
        const finish = (error: Error | undefined, response?: TransportResponse) => {
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
            finish(undefined, { status: res.statusCode ?? 0, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : (retryAfter ?? null) });
          });
        });
        req.end(body);
      });
    },
  };
}
