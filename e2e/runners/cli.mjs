// Node and Deno runner: `node cli.mjs <exportUrl> <runtime>` / `deno run … cli.mjs …`.
// Imports "respan-tracing" by name, so each runtime resolves its own build from node_modules.
import * as sdk from "respan-tracing";
import { runScenarios } from "./scenarios.mjs";

const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const [exportUrl, runtime, mode] = args;
const reports = await runScenarios(sdk, { exportUrl, runtime, explicit: mode === "explicit" });
console.log(`REPORT ${JSON.stringify(reports)}`);
