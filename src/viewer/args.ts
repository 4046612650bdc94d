/** The arguments of `respan-tracing view`. */
import { DEFAULT_PORT } from "./server.js";

export const USAGE = `Usage: respan-tracing view [--port ${DEFAULT_PORT}] [--data-dir .respan]

  Starts a local trace viewer: an OTLP/HTTP JSON receiver and a web UI on 127.0.0.1.
  Point an app at it with RESPAN_EXPORT_URL=http://127.0.0.1:${DEFAULT_PORT}/v1/traces
  --port N        port to listen on (0 picks a free one; default ${DEFAULT_PORT})
  --data-dir DIR  where traces are saved, and read back on start (default .respan)`;

export interface ViewArgs {
  port: number;
  dataDir: string;
}

/** Parses the arguments after the command; a string is an error to show with the usage. */
export function parseViewArgs(args: string[]): ViewArgs | string {
  const parsed: ViewArgs = { port: DEFAULT_PORT, dataDir: ".respan" };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = inline ?? args[++i];
    if (flag === "--port") {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) return `--port needs a port number (0-65535), got ${value}`;
      parsed.port = port;
    } else if (flag === "--data-dir") {
      if (!value) return "--data-dir needs a directory";
      parsed.dataDir = value;
    } else return `unknown option ${flag}`;
  }
  return parsed;
}
