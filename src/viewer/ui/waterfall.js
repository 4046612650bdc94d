// The waterfall: spans nested by parent id, one row each, bars scaled to the whole trace.
import { el, formatDuration, isError, nanosToMs, spanKind } from "./dom.js";

/** Indentation per nesting level, in pixels: deep enough to read the tree, shallow enough for 10 levels. */
const INDENT_PX = 16;

/** Orders spans depth-first (children by start time) and gives each its depth. */
export function layoutTree(spans) {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map();
  const roots = [];
  for (const span of spans) {
    // A span whose parent never arrived (or lives in another service) is shown as a root.
    if (span.parentSpanId && ids.has(span.parentSpanId)) {
      if (!children.has(span.parentSpanId)) children.set(span.parentSpanId, []);
      children.get(span.parentSpanId).push(span);
    } else roots.push(span);
  }
  const byStart = (a, b) => nanosToMs(a.startTimeUnixNano) - nanosToMs(b.startTimeUnixNano);
  const rows = [];
  const visit = (span, depth) => {
    rows.push({ span, depth });
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) visit(child, depth + 1);
  };
  for (const root of roots.sort(byStart)) visit(root, 0);
  return rows;
}

function ticks(totalMs) {
  return el("div", { class: "wf-row wf-axis" }, [
    el("div", { class: "wf-name" }, ["Span"]),
    el("div", { class: "wf-timeline" }, [0, 0.25, 0.5, 0.75, 1].map((f) => el("span", { class: "tick", style: { left: `${f * 100}%` } }, [f === 0 ? "0" : formatDuration(totalMs * f)]))),
  ]);
}

export function renderWaterfall(container, spans, selectedId, onSelect) {
  if (!spans.length) {
    container.replaceChildren(el("div", { class: "empty" }, ["This trace is no longer in memory."]));
    return;
  }
  const start = Math.min(...spans.map((s) => nanosToMs(s.startTimeUnixNano)));
  const end = Math.max(...spans.map((s) => nanosToMs(s.endTimeUnixNano)));
  const total = Math.max(end - start, 0.001);
  const rows = layoutTree(spans).map(({ span, depth }) => {
    const from = nanosToMs(span.startTimeUnixNano) - start;
    const duration = nanosToMs(span.endTimeUnixNano) - nanosToMs(span.startTimeUnixNano);
    const kind = spanKind(span);
    const left = (from / total) * 100;
    const width = Math.max((duration / total) * 100, 0.3);
    return el(
      "div",
      {
        class: `wf-row span-row kind-${kind}${isError(span) ? " error" : ""}${span.spanId === selectedId ? " selected" : ""}`,
        "data-span-id": span.spanId,
        "data-parent-id": span.parentSpanId ?? "",
        "data-depth": depth,
        role: "button",
        tabindex: 0,
        onclick: () => onSelect(span.spanId),
        onkeydown: (event) => event.key === "Enter" && onSelect(span.spanId),
      },
      [
        el("div", { class: "wf-name", style: { paddingLeft: `${8 + depth * INDENT_PX}px` }, title: span.name }, [
          el("span", { class: `badge kind-${kind}` }, [kind]),
          el("span", { class: "span-name" }, [span.name]),
        ]),
        el("div", { class: "wf-timeline" }, [
          el("div", { class: "bar", style: { left: `${left}%`, width: `${width}%` } }),
          el("span", { class: "bar-label", style: left > 70 ? { right: `${100 - left + 0.5}%` } : { left: `calc(${left + width}% + 6px)` } }, [formatDuration(duration)]),
        ]),
      ],
    );
  });
  container.replaceChildren(ticks(total), ...rows);
}
