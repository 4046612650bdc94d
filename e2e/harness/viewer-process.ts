/** Runs the packed package's `respan-tracing view` bin as a user would, and stops it by its process group. */
import { spawn, type ChildProcess } from "node:child_process";
import { CONSUMER } from "./consumer.js";

/** Node starting the bin on two busy cores takes a second or two; 30 s means something is wrong. */
const START_TIMEOUT_MS = 30_000;

export interface ViewerProcess {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

export function startViewerProcess(dataDir: string): Promise<ViewerProcess> {
  // Own process group (detached), so stop() ends the bin and anything it started.
  const child: ChildProcess = spawn(`${CONSUMER}node_modules/.bin/respan-tracing`, ["view", "--port", "0", "--data-dir", dataDir], {
    cwd: CONSUMER,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, "SIGINT");
      const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`respan-tracing view printed no URL within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on("data", () => {
      const match = output.match(/trace viewer: (http:\/\/127\.0\.0\.1:\d+)/);
      if (!match) return;
      clearTimeout(timer);
      resolve({ url: match[1]!, output: () => output, stop });
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`respan-tracing view exited:\n${output}`));
    });
  });
}
