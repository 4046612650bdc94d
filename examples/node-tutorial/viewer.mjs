/**
 * Starts the package's local trace viewer for `npm start` when the spans would otherwise go
 * nowhere but the console: no RESPAN_API_KEY, no RESPAN_EXPORT_URL, and RESPAN_VIEWER is not "off".
 * It is the same server as `npx respan-tracing view`, imported from the build `npm start` makes.
 */
import { DEFAULT_PORT, startViewer } from "../../dist/viewer/server.js";

/** Where the viewer keeps traces: the same default as `respan-tracing view`, so it shows them later. */
const DATA_DIR = ".respan";

/** @returns {Promise<import("../../dist/types/viewer/server.js").Viewer | undefined>} */
export async function startLocalViewer(env) {
  if (env.RESPAN_API_KEY || env.RESPAN_EXPORT_URL || env.RESPAN_VIEWER === "off") return undefined;
  try {
    return await startViewer({ port: DEFAULT_PORT, dataDir: DATA_DIR });
  } catch (error) {
    if (error?.code !== "EADDRINUSE") throw error;
    // 4318 is taken (another viewer, or an OpenTelemetry collector): any free port will do.
    return startViewer({ port: 0, dataDir: DATA_DIR });
  }
}
