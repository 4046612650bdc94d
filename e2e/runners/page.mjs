// Browser runner, bundled for the "browser" condition; parents are passed explicitly.
import * as sdk from "respan-tracing";
import { runScenarios } from "./scenarios.mjs";

window.runConformance = (exportUrl, names) => runScenarios(sdk, { exportUrl, runtime: "browser", explicit: true }, names);
window.conformanceReady = true;
