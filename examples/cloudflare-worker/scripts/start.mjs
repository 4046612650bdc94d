// `npm start`: the Worker in local workerd (`wrangler dev`) on 127.0.0.1:$PORT (default 3000).
// Non-secret settings in your shell are passed on as Worker vars, so
//   RESPAN_EXPORT_URL=http://127.0.0.1:4318/v1/traces npm start
// works as it does for a Node app. Secrets (RESPAN_API_KEY, OPENAI_API_KEY) belong in .dev.vars.
import { spawn } from "node:child_process";

const FORWARDED = ["RESPAN_EXPORT_URL", "RESPAN_BASE_URL", "RESPAN_LOG_LEVEL", "OPENAI_MODEL", "ALLOWED_ORIGINS"];

const port = process.env.PORT || "3000";
const args = ["dev", "--ip", "127.0.0.1", "--port", port];
for (const name of FORWARDED) if (process.env[name]) args.push("--var", `${name}:${process.env[name]}`);

// npm puts node_modules/.bin on PATH; `shell` lets Windows find wrangler.cmd.
const wrangler = spawn("wrangler", args, { stdio: "inherit", shell: process.platform === "win32" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => wrangler.kill(signal));
wrangler.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
