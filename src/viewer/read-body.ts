/** Reads a request body as a stream, stopping at a byte limit instead of buffering it whole. */
import type { IncomingMessage } from "node:http";

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: "too large" | "aborted" };

export function readBodyLimited(request: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      request.resume(); // dropped unread, so the 413 reaches the client
      return resolve({ ok: false, reason: "too large" });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      request.off("data", onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        // Stop keeping bytes; the rest is read and dropped so the 413 reaches the client.
        request.resume();
        return finish({ ok: false, reason: "too large" });
      }
      chunks.push(chunk);
    };
    request.on("data", onData);
    request.on("end", () => finish({ ok: true, body: Buffer.concat(chunks, size) }));
    request.on("error", () => finish({ ok: false, reason: "aborted" }));
    // The client went away before sending the whole body.
    request.on("close", () => finish(request.complete ? { ok: true, body: Buffer.concat(chunks, size) } : { ok: false, reason: "aborted" }));
  });
}
