// Small DOM and formatting helpers shared by the viewer's modules.

/** Creates an element; children are nodes or strings (set as text, never parsed as HTML). */
export function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "style") Object.assign(node.style, value);
    else node.setAttribute(name, String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

export function formatDuration(ms) {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : ms.toFixed(0)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatTime(ms) {
  const date = new Date(ms);
  const today = new Date().toDateString() === date.toDateString();
  return today ? date.toLocaleTimeString() : date.toLocaleString();
}

/** Nanoseconds (a decimal string, as in OTLP JSON) to milliseconds. */
export const nanosToMs = (nanos) => Number(BigInt(nanos) / 1000n) / 1000;

/** Pretty JSON when the text is JSON, else the text itself. */
export function prettyJson(value) {
  if (typeof value !== "string") return JSON.stringify(value, null, 2);
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}

/** The span's kind as the viewer shows it: the Respan entity kind, "llm" for model calls, else "span". */
export function spanKind(span) {
  const kind = span.attributes["traceloop.span.kind"];
  if (typeof kind === "string") return kind;
  if (span.attributes["gen_ai.system"] !== undefined || span.attributes["llm.request.type"] !== undefined) return "llm";
  return "span";
}

/** OTLP STATUS_CODE_ERROR. */
export const isError = (span) => span.status?.code === 2;
