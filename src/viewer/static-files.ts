/** Serves the UI's files from the `ui` folder next to this module (src/viewer/ui, or dist/viewer/ui once built). */
import { readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";

/** Only these files exist, so no request path ever reaches the file system unchecked. */
const FILES: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/index.html": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/waterfall.js": { file: "waterfall.js", type: "text/javascript; charset=utf-8" },
  "/dom.js": { file: "dom.js", type: "text/javascript; charset=utf-8" },
  "/details.js": { file: "details.js", type: "text/javascript; charset=utf-8" },
  "/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
};

export async function serveUiFile(path: string, response: ServerResponse): Promise<void> {
  const entry = FILES[path];
  if (!entry) {
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    response.end("not found");
    return;
  }
  const body = await readFile(fileURLToPath(new URL(`./ui/${entry.file}`, import.meta.url)));
  response.writeHead(200, { "content-type": entry.type, "cache-control": "no-cache" });
  response.end(body);
}
