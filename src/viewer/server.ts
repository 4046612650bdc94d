/**
 * The local viewer's HTTP server: an OTLP/HTTP JSON receiver, a JSON API over the stored traces,
 * and the static UI, all on one loopback port.
 *
 *   POST /v1/traces, /api/v2/traces   OTLP/HTTP JSON → 200 once stored; 400 not OTLP; 413 too big
 *   GET  /api/traces                  trace summaries, newest first
 *   GET  /api/traces/:traceId         the spans of one trace
 *   GET  /                            the UI (files from ./ui next to this module)
 * @example
 * const viewer = await startViewer({ port: 4318, dataDir: ".respan" });
 * console.log(viewer.url); // http://127.0.0.1:4318
 * await viewer.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { NotOtlpError, decodeOtlpTraces } from "./otlp-decode.js";
import { readBodyLimited } from "./read-body.js";
import { serveUiFile } from "./static-files.js";
import { TraceStore } from "./store.js";

/**
 * Largest body accepted. The SDK's exporter sends at most one batch per request (512 spans by
 * default, each span's input/output capped by fit-to-size), a few MiB at worst; 8 MiB leaves
 * room for other OTLP senders' larger batches while bounding what one request can hold in memory.
 */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** The port OTLP/HTTP uses by convention, so OTel tools' defaults point here. */
export const DEFAULT_PORT = 4318;
/** Loopback only: the viewer has no authentication, and shows prompts and completions. */
export const HOST = "127.0.0.1";

const OTLP_PATHS = new Set(["/v1/traces", "/api/v2/traces"]);

export interface ViewerOptions {
  /** 0 picks a free port. Default 4318. */
  port?: number;
  /** Where spans are appended (created if missing). Default `.respan`. */
  dataDir?: string;
  maxBodyBytes?: number;
}

export interface Viewer {
  url: string;
  port: number;
  store: TraceStore;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  response.end(JSON.stringify(body));
}

async function receive(request: IncomingMessage, response: ServerResponse, store: TraceStore, limit: number): Promise<void> {
  const read = await readBodyLimited(request, limit);
  if (!read.ok) {
    if (read.reason === "too large") send(response, 413, { error: `body over ${limit} bytes; send smaller batches` });
    else response.destroy();
    return;
  }
  let spans;
  try {
    spans = decodeOtlpTraces(JSON.parse(read.body.toString("utf8")));
  } catch (error) {
    const message = error instanceof NotOtlpError ? error.message : "body is not JSON; expected OTLP/HTTP JSON (an ExportTraceServiceRequest)";
    send(response, 400, { error: message });
    return;
  }
  await store.append(spans); // stored before the 200: an acknowledged span is never lost
  send(response, 200, { partialSuccess: {} });
}

async function route(request: IncomingMessage, response: ServerResponse, store: TraceStore, limit: number): Promise<void> {
  const path = new URL(request.url ?? "/", "http://viewer").pathname;
  // Any page may EXPORT here (a browser app under development posts its spans cross-origin)...
  if (OTLP_PATHS.has(path)) response.setHeader("access-control-allow-origin", "*");
  if (request.method === "OPTIONS") {
    response.writeHead(204, {
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": request.headers["access-control-request-headers"] ?? "*",
      "access-control-max-age": "600",
    });
    response.end();
    return;
  }
  if (OTLP_PATHS.has(path)) {
    if (request.method !== "POST") return send(response, 405, { error: "POST OTLP/HTTP JSON here" });
    return receive(request, response, store, limit);
  }
  if (request.method !== "GET" && request.method !== "HEAD") return send(response, 405, { error: "method not allowed" });
  // ...but only the viewer's own page may READ traces (they hold prompts and completions): no CORS
  // header here, and a Host other than the loopback address is refused (DNS rebinding).
  if (!isLoopbackHost(request.headers.host)) return send(response, 403, { error: "open the viewer at http://127.0.0.1 or http://localhost" });
  if (path === "/api/traces") return send(response, 200, { traces: store.list() });
  if (path.startsWith("/api/traces/")) {
    const spans = store.get(decodeURIComponent(path.slice("/api/traces/".length)));
    return spans ? send(response, 200, { spans }) : send(response, 404, { error: "no such trace (it may be older than the traces kept in memory)" });
  }
  if (path.startsWith("/api/")) return send(response, 404, { error: "unknown API path" });
  return serveUiFile(path, response);
}

function isLoopbackHost(host: string | undefined): boolean {
  const name = (host ?? "").replace(/:\d+$/, "").toLowerCase();
  return name === "127.0.0.1" || name === "localhost" || name === "[::1]";
}

/** Starts the viewer on 127.0.0.1; resolves once it listens. */
export async function startViewer(options: ViewerOptions = {}): Promise<Viewer> {
  const store = await TraceStore.open(options.dataDir ?? ".respan");
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const server = createServer((request, response) => {
    route(request, response, store, limit).catch((error: unknown) => {
      // E.g. the disk is full: say so, and keep serving.
      if (!response.headersSent) send(response, 500, { error: `could not store the spans: ${(error as Error)?.message ?? error}` });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_PORT, HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${port}`,
    port,
    store,
    close() {
      closing ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
