// The details panel of one span: input/output, chat messages, tokens, attributes, events, links.
import { el, formatDuration, isError, nanosToMs, prettyJson, spanKind } from "./dom.js";

const INPUT = "traceloop.entity.input";
const OUTPUT = "traceloop.entity.output";

/** `gen_ai.prompt.N.role/content` (or completion) → [{ role, content }] in N order. */
export function chatMessages(attributes, prefix) {
  const byIndex = new Map();
  for (const [key, value] of Object.entries(attributes)) {
    const match = key.match(new RegExp(`^${prefix.replace(/\./g, "\\.")}\\.(\\d+)\\.(\\w+)$`));
    if (!match) continue;
    const index = Number(match[1]);
    if (!byIndex.has(index)) byIndex.set(index, {});
    byIndex.get(index)[match[2]] = value;
  }
  return [...byIndex].sort((a, b) => a[0] - b[0]).map(([, m]) => m).filter((m) => m.content !== undefined || m.role !== undefined);
}

function section(title, children, open = true) {
  return el("details", { class: "section", open }, [el("summary", {}, [title]), ...children]);
}

function value(v) {
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return el("td", { class: typeof v === "string" ? "v-string" : "v-other" }, [text]);
}

function table(record) {
  const keys = Object.keys(record).sort();
  if (!keys.length) return el("p", { class: "muted" }, ["none"]);
  return el("table", { class: "kv" }, [el("tbody", {}, keys.map((k) => el("tr", {}, [el("th", {}, [k]), value(record[k])])))]);
}

function message(m, side) {
  return el("div", { class: `msg msg-${side} role-${m.role ?? "unknown"}` }, [
    el("div", { class: "msg-role" }, [m.role ?? side]),
    el("pre", { class: "msg-content" }, [m.content === undefined ? "" : prettyJson(m.content)]),
  ]);
}

function tokens(a) {
  const input = a["gen_ai.usage.input_tokens"] ?? a["gen_ai.usage.prompt_tokens"];
  const output = a["gen_ai.usage.output_tokens"] ?? a["gen_ai.usage.completion_tokens"];
  const total = a["llm.usage.total_tokens"] ?? a["gen_ai.usage.total_tokens"] ?? (input ?? 0) + (output ?? 0);
  if (input === undefined && output === undefined) return null;
  return el("div", { class: "tokens-box" }, [
    el("div", {}, [el("b", {}, [String(input ?? "–")]), " input"]),
    el("div", {}, [el("b", {}, [String(output ?? "–")]), " output"]),
    el("div", {}, [el("b", {}, [String(total)]), " total"]),
  ]);
}

export function renderDetails(container, span, trace, onClose) {
  const a = span.attributes;
  const start = Math.min(...trace.map((s) => nanosToMs(s.startTimeUnixNano)));
  const kind = spanKind(span);
  const prompts = chatMessages(a, "gen_ai.prompt");
  const completions = chatMessages(a, "gen_ai.completion");
  const tokenBox = tokens(a);
  const model = a["gen_ai.response.model"] ?? a["gen_ai.request.model"];
  const parts = [
    el("div", { class: "details-head" }, [
      el("div", {}, [el("span", { class: `badge kind-${kind}` }, [kind]), el("h2", {}, [span.name])]),
      el("button", { class: "close", title: "Close", "aria-label": "Close details", onclick: onClose }, ["×"]),
    ]),
    el("div", { class: "details-meta" }, [
      el("span", {}, [formatDuration(nanosToMs(span.endTimeUnixNano) - nanosToMs(span.startTimeUnixNano))]),
      el("span", {}, [`at +${formatDuration(nanosToMs(span.startTimeUnixNano) - start)}`]),
      model ? el("span", {}, [String(model)]) : null,
      el("span", { class: "mono" }, [`span ${span.spanId}`]),
    ]),
    isError(span) ? el("div", { class: "error-box" }, [el("b", {}, ["Error"]), span.status.message ? `: ${span.status.message}` : ""]) : null,
    tokenBox ? section("Tokens", [tokenBox]) : null,
    a[INPUT] !== undefined ? section("Input", [el("pre", { class: "json", "data-field": "input" }, [prettyJson(a[INPUT])])]) : null,
    a[OUTPUT] !== undefined ? section("Output", [el("pre", { class: "json", "data-field": "output" }, [prettyJson(a[OUTPUT])])]) : null,
    prompts.length || completions.length
      ? section("Messages", [el("div", { class: "chat" }, [...prompts.map((m) => message(m, "prompt")), ...completions.map((m) => message(m, "completion"))])])
      : null,
    section("Attributes", [table(a)], !(a[INPUT] || prompts.length)),
    span.events.length
      ? section(`Events (${span.events.length})`, span.events.map((e) => el("div", { class: "event" }, [el("div", { class: "event-name" }, [`+${formatDuration(nanosToMs(e.timeUnixNano) - start)}  ${e.name}`]), table(e.attributes)])))
      : null,
    span.links.length
      ? section(`Links (${span.links.length})`, span.links.map((l) => el("div", { class: "event" }, [el("a", { href: `#/trace/${l.traceId}/${l.spanId}`, class: "mono" }, [`${l.traceId} / ${l.spanId}`]), table(l.attributes)])))
      : null,
    section("Resource & scope", [table({ ...span.resource, "otel.scope.name": span.scope.name, "otel.scope.version": span.scope.version })], false),
  ];
  container.replaceChildren(...parts.filter(Boolean));
  container.scrollTop = 0;
}
