/**
 * The `respan-tracing` command. `respan-tracing view [--port 4318] [--data-dir .respan]` starts
 * the local viewer and runs until Ctrl-C.
 */
import { USAGE, parseViewArgs } from "./args.js";
import { startViewer } from "./server.js";

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
