import type { Platform } from "./platform.js";

/**
 * SPEC §10: in a browser build an API key would be readable by every visitor, so anything that
 * would send one (`new RespanTelemetry`, `createRespanSpanProcessor`) refuses unless the app says
 * `dangerouslyAllowBrowser: true`.
 */
export function refuseKeyInBrowser(platform: Platform, apiKey: string | undefined, dangerouslyAllowBrowser: boolean | undefined): void {
  if (!platform.browserKeyRefusal || !apiKey || dangerouslyAllowBrowser) return;
  throw new Error(platform.browserKeyRefusal);
}
