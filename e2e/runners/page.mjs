// Browser runner, bundled for the "browser" condition; parents are passed explicitly.
import * as sdk from "respan-tracing";
import { runScenarios } from "./scenarios.mjs";

window.runConformance = (exportUrl, names) => runScenarios(sdk, { exportUrl, runtime: "browser", explicit: true }, names);

window.tryApiKey = async () => {
  const outcome = {};
  try {
    new sdk.RespanTelemetry({ apiKey: "sk-in-a-page", env: {} });
    outcome.refused = "constructed";
  } catch (error) {
    outcome.refused = String(error.message);
  }
  const allowed = new sdk.RespanTelemetry({ apiKey: "sk-in-a-page", dangerouslyAllowBrowser: true, env: {} });
  outcome.allowed = "constructed";
  await allowed.shutdown();
  return outcome;
};

window.conformanceReady = true;
