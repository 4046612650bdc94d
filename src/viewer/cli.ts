/**
 * The `respan-tracing` command. `respan-tracing view [--port 4318] [--data-dir .respan]` starts
 * the local viewer and runs until Ctrl-C.
 */
import { DEFAULT_PORT, startViewer } from "./server.js";

const USAGE = `Usage: respan-tracing view [--port ${DEFAULT_PORT}] [--data-dir .respan]

  Starts a local trace viewer: an OTLP/HTTP JSON receiver and a web UI on 127.0.0.1.
  Point an app at it with RESPAN_EXPORT_URL=http://127.0.0.1:${DEFAULT_PORT}/v1/traces
  --port N        port to listen on (0 picks a free one; default ${DEFAULT_PORT})
  --data-dir DIR  where traces are saved, and read back on start (default .respan)`;

interface ViewArgs {
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

async function main(argv: string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return 0;
  }
  if (command !== "view") {
    console.error(command ? `Unknown command: ${command}\n\n${USAGE}` : USAGE);
    return 2;
  }
  const args = parseViewArgs(rest);
  if (typeof args === "string") {
    console.error(`${args}\n\n${USAGE}`);
    return 2;
  }
  let viewer;
  try {
    viewer = await startViewer(args);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(code === "EADDRINUSE" ? `Port ${args.port} is in use: is a viewer already running? Try --port 0 for a free port.` : `Could not start the viewer: ${(error as Error).message}`);
    return 1;
  }
  console.log(`Respan trace viewer: ${viewer.url}`);
  console.log(`Send traces with RESPAN_EXPORT_URL=${viewer.url}/v1/traces (saved in ${args.dataDir}). Ctrl-C to stop.`);
  const stop = () => void viewer.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return undefined;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
