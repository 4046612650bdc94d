/** A Deno.serve runner from the consumer project, started for a browser test and stopped after it. */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CONSUMER } from "./consumer.js";
import { collectUntil, stopProcessGroup } from "./processes.js";

const DENO = fileURLToPath(new URL("../../node_modules/.bin/deno", import.meta.url));
const DENO_DIR = fileURLToPath(new URL("../../.deno-cache", import.meta.url));
/** A first run compiles the npm package into Deno's cache: slow on a loaded 2-core machine. */
const START_TIMEOUT_MS = 60_000;

export interface DenoServer {
  /** The ports the runner printed after "LISTENING". */
  ports: number[];
  stop(): Promise<void>;
}

/** Runs `deno run --allow-net=127.0.0.1 --allow-read --allow-env <script> ...args` and waits for its "LISTENING <port>..." line. */
export async function startDenoServer(script: string, args: string[], env: Record<string, string> = {}): Promise<DenoServer> {
  const child: ChildProcess = spawn(DENO, ["run", "--allow-net=127.0.0.1", "--allow-read", "--allow-env", script, ...args], {
    cwd: CONSUMER,
    env: { ...process.env, ...env, DENO_DIR, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const stop = () => stopProcessGroup(child);
  try {
    const listening = /LISTENING ([\d ]+)\r?\n/; // the whole line: a chunk may end mid-number
    const output = await collectUntil(child, script, (text) => listening.test(text), START_TIMEOUT_MS);
    return { ports: listening.exec(output.text)![1]!.trim().split(" ").map(Number), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
