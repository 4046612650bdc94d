import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { CONSUMER } from "./consumer.js";
import { runProcess } from "./run-process.js";

const NEXT_BIN = "node_modules/next/dist/bin/next";
const ENV = { NEXT_TELEMETRY_DISABLED: "1" };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface NextServer {
  url: string;
  stop(): Promise<void>;
}

/** `next build` then `next start` on 127.0.0.1, the server's own PID recorded and stopped by it. */
export async function buildAndStartNext(env: Record<string, string> = {}): Promise<NextServer> {
  const build = await runProcess(process.execPath, [NEXT_BIN, "build"], { cwd: CONSUMER, env: ENV, timeoutMs: 300_000 });
  if (build.code !== 0) throw new Error(`next build failed:\n${build.output}`);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: CONSUMER,
    env: { ...process.env, ...ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill("SIGKILL");
      throw new Error(`next start did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
