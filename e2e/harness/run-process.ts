import { spawn } from "node:child_process";

export interface ProcessResult {
  code: number | null;
  output: string;
}

/** Runs a command to completion (killed after `timeoutMs`), capturing stdout and stderr. */
export function runProcess(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number; /** false: only `env` (no RESPAN_* leaks in). */ inheritEnv?: boolean },
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const env = options.inheritEnv === false ? options.env : { ...process.env, ...options.env };
    const child = spawn(command, args, { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The JSON after "REPORT " in a runner's output. */
export function parseReport(output: string): Record<string, Record<string, unknown>> {
  const line = output.split("\n").find((l) => l.startsWith("REPORT "));
  if (!line) throw new Error(`the runner printed no report:\n${output}`);
  return JSON.parse(line.slice("REPORT ".length));
}
