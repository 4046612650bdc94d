import type { Attributes } from "@opentelemetry/api";
import { RESPAN_METADATA } from "./attributes.js";
import { safeStringify } from "./safe-json.js";

/** Respan parameters a span can carry (snake_case as in the Python SDK; camelCase accepted too). */
export interface RespanParams {
  customer_identifier?: string | number;
  customer_email?: string;
  customer_name?: string;
  thread_identifier?: string | number;
  session_identifier?: string | number;
  custom_identifier?: string | number;
  trace_group_identifier?: string | number;
  environment?: string;
  metadata?: Record<string, unknown>;
  [camelCaseAlias: string]: unknown;
}

const ATTRIBUTE_OF: Record<string, string> = {
  customer_identifier: "respan.customer_params.customer_identifier",
  customer_email: "respan.customer_params.email",
  customer_name: "respan.customer_params.name",
  thread_identifier: "respan.threads.thread_identifier",
  session_identifier: "respan.sessions.session_identifier",
  custom_identifier: "respan.span_params.custom_identifier",
  trace_group_identifier: "respan.trace.trace_group_identifier",
  environment: "respan.environment",
};

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * Turns respanParams into span attributes. `metadata` is merged into the span's existing
 * `respan.metadata` JSON object (later keys win), so several calls add up.
 */
export function respanParamsToAttributes(params: RespanParams, existing: Attributes): { attributes: Attributes; unknown: string[] } {
  const attributes: Attributes = {};
  const unknown: string[] = [];
  for (const [rawKey, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const key = snakeCase(rawKey);
    if (key === "metadata") {
      attributes[RESPAN_METADATA] = mergeMetadata(existing[RESPAN_METADATA], value);
    } else if (ATTRIBUTE_OF[key]) {
      attributes[ATTRIBUTE_OF[key]] = typeof value === "number" || typeof value === "boolean" ? value : String(value);
    } else {
      unknown.push(rawKey);
    }
  }
  return { attributes, unknown };
}

function mergeMetadata(previous: unknown, next: unknown): string {
  let base: Record<string, unknown> = {};
  if (typeof previous === "string") {
    try {
      const parsed: unknown = JSON.parse(previous);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) base = parsed as Record<string, unknown>;
    } catch {
      // Not ours or not JSON: start afresh rather than fail the update.
    }
  }
  return JSON.stringify({ ...base, ...metadataObject(next) });
}

function metadataObject(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return { value: JSON.parse(safeStringify(value)) as unknown };
  const json = safeStringify(value);
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    // Truncated past the size limit: keep what there is as one string.
    return { metadata: json };
  }
}
