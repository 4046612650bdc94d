/** What the e2e files that start servers share: a free loopback port, polling, and stopping a process group. */
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** A port free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Polls every 50 ms until `predicate` holds or `timeoutMs` passes; the caller asserts afterwards. */
export async function settle(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * Stops a child started with `detached: true` and everything it started (npx/npm children need
 * their process group stopped): `signal` first, SIGKILL after 5 s; resolves once it has exited.
 */
export async function stopProcessGroup(child: ChildProcess | undefined, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // Already gone.
    }
  };
  kill(signal);
  const timer = setTimeout(() => kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Collects a child's stdout and stderr into `text` and waits until `ready(text)` holds; throws with
 * what it printed if the child exits first or `timeoutMs` passes. `text` keeps growing afterwards.
 */
export async function collectUntil(child: ChildProcess, label: string, ready: (text: string) => boolean, timeoutMs: number): Promise<{ readonly text: string }> {
  const collected = { text: "" };
  const add = (chunk: unknown) => void (collected.text += String(chunk));
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  await settle(() => ready(collected.text) || child.exitCode !== null || child.signalCode !== null, timeoutMs);
  if (!ready(collected.text)) throw new Error(`${label} was not ready within ${timeoutMs} ms (or exited):\n${collected.text}`);
  return collected;
}
