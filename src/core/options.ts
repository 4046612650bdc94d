import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { Attributes } from "@opentelemetry/api";
import { parseLogLevel, type LogLevel } from "./logger.js";
import type { RetryPolicy } from "./retry-policy.js";

/** LLM libraries the SDK can instrument (names as in the Python SDK's `Instruments`). */
export enum Instruments {
  OPENAI = "openai",
  ANTHROPIC = "anthropic",
  FETCH = "fetch",
}

/** Options of `new RespanTelemetry(options)`; every one is optional. See SPEC §2. */
export interface RespanOptions {
  /** `service.name` of every span's resource. Default `"respan"`. */
  appName?: string;
  /** Respan API key; else `RESPAN_API_KEY`. */
  apiKey?: string;
  /** Else `RESPAN_BASE_URL`; default `https://api.respan.ai/api`. */
  baseUrl?: string;
  /** DEBUG | INFO | WARNING | ERROR | CRITICAL, any case; else `RESPAN_LOG_LEVEL`. Default WARNING. */
  logLevel?: string;
  /** Else `RESPAN_BATCHING_ENABLED`; `false` exports each span as it ends. Default true. */
  isBatchingEnabled?: boolean;
  /** Only these instrumentations (a Set or an array); default: all available. */
  instruments?: Set<Instruments> | readonly Instruments[];
  blockInstruments?: Set<Instruments> | readonly Instruments[];
  instrumentModules?: Record<string, unknown>;
  /** Extra HTTP headers sent with every export request. */
  headers?: Record<string, string>;
  /** Added to the resource of every span. */
  resourceAttributes?: Attributes;
  /** Called with each span before it is exported (may mutate its attributes). */
  spanPostprocessCallback?: (span: ReadableSpan) => void;
  /** Rewrites a span's attributes before export (e.g. to remove personal data). */
  redact?: (attributes: Attributes, span: ReadableSpan) => Attributes | void;
  /** `false` makes the SDK a complete no-op: wrappers just call the function. */
  isEnabled?: boolean;
  /** Exporter used by the default processor instead of the Respan OTLP exporter. */
  customExporter?: SpanExporter;
  /** Full OTLP URL to post to instead of `{baseUrl}/v2/traces`. */
  exportUrl?: string;
  /** Allow an `apiKey` in a browser build (it would be visible to every visitor). */
  dangerouslyAllowBrowser?: boolean;
  /** A record to read `RESPAN_*` from (Workers pass their `env` binding). */
  env?: Record<string, unknown>;
  /** Record inputs and outputs of wrapped functions. Default true. */
  traceContent?: boolean;
  /** Retry policy of the Respan exporter (defaults in retry-policy.ts). */
  retry?: Partial<RetryPolicy>;
  /**
   * Most spans kept waiting for export; past it the oldest are dropped and counted. Default 65,536
   * on Node, 2,048 elsewhere (browsers, Workers, edge, Deno). The queue is also bounded by the
   * spans' estimated export size: 64 MiB on Node, 8 MiB elsewhere.
   */
  maxQueueSize?: number;
  /**
   * Where the FETCH instrument adds a W3C `traceparent` header. Default: the page's own origin in
   * browsers (and Web Workers), nowhere elsewhere.
   *
   * A string is an absolute URL (`"https://api.example.com"`, `"https://api.example.com/v1"`) or,
   * in a browser, a path on the page's origin (`"/api"`). A request matches when
   * - its origin (scheme, host and port, default ports implied) equals the target's exactly, and
   * - the target has no path, or the request's path equals it or continues it after a `/`.
   * So `"https://x.com/api"` matches `https://x.com/api`, `https://x.com/api/chat?q=1`, but not
   * `https://x.com/apix`, `https://x.com.evil.net/api`, `https://x.com:8443/api` or
   * `https://x.com@evil.net/api` (whose host is evil.net). A trailing `/` on the target changes
   * nothing; its query, fragment and credentials are ignored; a string that is not a URL matches
   * nothing. A RegExp is tested against the request's full URL (`href`) and matches wherever it
   * finds a match, so anchor it (`/^https:\/\/api\.example\.com\//`).
   * @example
   * tracePropagationTargets: ["https://api.example.com", "/api", /^https:\/\/[a-z]+\.example\.com\//]
   */
  tracePropagationTargets?: Array<string | RegExp>;
}

export const DEFAULT_BASE_URL = "https://api.respan.ai/api";

export interface ResolvedOptions {
  appName: string;
  apiKey?: string;
  baseUrl: string;
  exportUrl?: string;
  logLevel: LogLevel;
  isBatchingEnabled: boolean;
  isEnabled: boolean;
  traceContent: boolean;
  headers: Record<string, string>;
}

/** Merges options with `RESPAN_*` variables from `env`; options win over the environment. */
export function resolveOptions(options: RespanOptions, env: Record<string, unknown>): ResolvedOptions {
  const read = (name: string): string | undefined => {
    const value = env[name];
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  };
  const baseUrl = normaliseBaseUrl(options.baseUrl ?? read("RESPAN_BASE_URL") ?? DEFAULT_BASE_URL);
  return {
    appName: options.appName ?? "respan",
    apiKey: options.apiKey ?? read("RESPAN_API_KEY"),
    baseUrl,
    exportUrl: options.exportUrl ?? read("RESPAN_EXPORT_URL"),
    logLevel: parseLogLevel(options.logLevel ?? read("RESPAN_LOG_LEVEL")) ?? "WARNING",
    isBatchingEnabled: options.isBatchingEnabled ?? parseBoolean(read("RESPAN_BATCHING_ENABLED")) ?? true,
    isEnabled: options.isEnabled ?? true,
    traceContent: options.traceContent ?? true,
    headers: { ...(options.headers ?? {}) },
  };
}

function parseBoolean(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (["1", "true", "yes", "on"].includes(lower)) return true;
  if (["0", "false", "no", "off"].includes(lower)) return false;
  return undefined;
}

/**
 * `https://x.io`, `https://x.io/`, `https://x.io/api` and `https://x.io/api/` all mean the API root
 * `https://x.io/api`, as in the Python SDK.
 */
export function normaliseBaseUrl(baseUrl: string): string {
  const trimmed = baseUrl.trim().replace(/\/+$/, "");
  return trimmed.endsWith("/api") ? trimmed : `${trimmed}/api`;
}

/** Where the Respan exporter posts OTLP/HTTP JSON. */
export function tracesUrl(resolved: ResolvedOptions): string {
  return resolved.exportUrl ?? `${resolved.baseUrl}/v2/traces`;
}
