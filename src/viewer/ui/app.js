// The viewer page: the live trace list, and the open trace (#/trace/<traceId>/<spanId>).
// Plain DOM and fetch; no framework, nothing loaded from outside this server.
import { renderWaterfall } from "./waterfall.js";
import { renderDetails } from "./details.js";
import { el, formatDuration, formatTime } from "./dom.js";

/** How often the list is refreshed: fast enough to feel live, cheap for a local server. */
const POLL_MS = 2000;

const state = { traces: [], listKey: "", trace: undefined, traceId: undefined, spanId: undefined };

function parseHash() {
  const [, kind, traceId, spanId] = location.hash.split("/");
  return kind === "trace" ? { traceId, spanId } : {};
}

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function renderList() {
  const list = document.getElementById("trace-list");
  document.getElementById("trace-count").textContent = state.traces.length ? `(${state.traces.length})` : "";
  document.getElementById("empty").hidden = state.traces.length > 0;
  list.replaceChildren(
    ...state.traces.map((t) =>
      el("li", { class: `trace-item${t.traceId === state.traceId ? " selected" : ""}${t.errorCount ? " has-error" : ""}`, "data-trace-id": t.traceId }, [
        el("a", { href: `#/trace/${t.traceId}` }, [
          el("div", { class: "trace-name" }, [t.rootName || "(unnamed)"]),
          el("div", { class: "trace-meta" }, [
            el("span", {}, [t.service || "unknown service"]),
            el("span", {}, [formatTime(t.startMs)]),
          ]),
          el("div", { class: "trace-stats" }, [
            el("span", { class: "stat" }, [formatDuration(t.durationMs)]),
            el("span", { class: "stat" }, [`${t.spanCount} spans`]),
            t.totalTokens ? el("span", { class: "stat tokens" }, [`${t.totalTokens} tokens`]) : null,
            t.errorCount ? el("span", { class: "stat error" }, [`${t.errorCount} error${t.errorCount > 1 ? "s" : ""}`]) : null,
          ]),
        ]),
      ]),
    ),
  );
}

async function refreshList() {
  const { traces } = await getJson("/api/traces");
  const key = JSON.stringify(traces);
  if (key === state.listKey) return;
  state.listKey = key;
  state.traces = traces;
  renderList();
  // More spans of the open trace arrived: show them.
  const open = traces.find((t) => t.traceId === state.traceId);
  if (open && state.trace && open.spanCount !== state.trace.length) await openTrace(state.traceId, state.spanId);
}

async function openTrace(traceId, spanId) {
  if (!traceId) return;
  try {
    state.trace = (await getJson(`/api/traces/${encodeURIComponent(traceId)}`)).spans;
  } catch {
    state.trace = []; // no longer kept in memory (or a bad link): an empty waterfall
  }
  state.traceId = traceId;
  state.spanId = spanId;
  renderList();
  const summary = state.traces.find((t) => t.traceId === traceId);
  document.getElementById("trace-header").replaceChildren(
    el("div", { class: "trace-title" }, [summary?.rootName ?? traceId]),
    el("div", { class: "trace-meta" }, [
      el("span", { class: "mono" }, [`trace ${traceId}`]),
      summary ? el("span", {}, [formatTime(summary.startMs)]) : null,
      summary ? el("span", {}, [formatDuration(summary.durationMs)]) : null,
      summary ? el("span", {}, [`${summary.spanCount} spans`]) : null,
      summary?.totalTokens ? el("span", {}, [`${summary.totalTokens} tokens`]) : null,
    ]),
  );
  renderWaterfall(document.getElementById("waterfall"), state.trace, spanId, (id) => (location.hash = `#/trace/${traceId}/${id}`));
  const span = state.trace.find((s) => s.spanId === spanId);
  const details = document.getElementById("details");
  details.hidden = !span;
  if (span) renderDetails(details, span, state.trace, () => (location.hash = `#/trace/${traceId}`));
}

function onHash() {
  const { traceId, spanId } = parseHash();
  openTrace(traceId, spanId).catch((error) => console.error(error));
}

const exportUrl = `RESPAN_EXPORT_URL=${location.origin}/v1/traces`;
document.getElementById("export-url").textContent = exportUrl;
document.getElementById("empty-command").textContent = `${exportUrl} node app.js`;
window.addEventListener("hashchange", onHash);

async function poll() {
  try {
    await refreshList();
  } catch (error) {
    console.warn("viewer: could not refresh the trace list", error);
  }
  setTimeout(poll, POLL_MS);
}
await poll();
onHash();
