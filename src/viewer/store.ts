/**
 * The viewer's traces: every accepted span is appended to `<dataDir>/spans.jsonl` (one span per
 * line) before the sender hears 200, and the newest traces are kept in memory for the UI.
 * Opening a store reads the file back, so a restarted viewer shows earlier traces. The file is
 * rotated once it passes a size bound, so a viewer left running for weeks cannot fill the disk.
 */
import { createReadStream } from "node:fs";
import { appendFile, mkdir, rename, stat } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { ViewerSpan } from "./otlp-decode.js";
import { summarizeTrace, type TraceSummary } from "./trace-summary.js";

/**
 * Traces held in memory. A local tool's run is hundreds of traces; 1000 tutorial-sized traces
 * (~22 spans, ~2 KiB each) is about 45 MB, a bound a laptop does not notice. Older traces stay
 * in the file; a restart reads the file and again keeps the newest.
 */
export const MAX_TRACES_IN_MEMORY = 1000;
/** Spans kept per trace: a runaway loop's trace stays viewable instead of filling memory. */
export const MAX_SPANS_PER_TRACE = 10_000;
export const SPANS_FILE = "spans.jsonl";
/** Where the previous file goes when the current one is rotated (the one before it is deleted). */
export const PREVIOUS_SPANS_FILE = "spans.1.jsonl";
/**
 * Size at which spans.jsonl is rotated: disk use stays under twice this. 64 MiB is ~30,000
 * tutorial-sized traces, far more than the 1000 shown, and reads back in about a second.
 */
export const MAX_SPANS_FILE_BYTES = 64 * 1024 * 1024;

export class TraceStore {
  /** Insertion order = the order traces were first seen; the first entry is evicted first. */
  private readonly traces = new Map<string, { spans: ViewerSpan[]; ids: Set<string>; summary?: TraceSummary }>();
  /** Appends run one after another so lines from concurrent requests never interleave. */
  private writing: Promise<void> = Promise.resolve();

  /** Bytes in the current file, so rotation needs no stat per append. */
  private fileBytes = 0;

  private constructor(
    private readonly file: string,
    private readonly previousFile: string,
    private readonly maxFileBytes: number,
  ) {}

  /** Creates the data dir if needed and loads the spans saved there (the rotated file first). */
  static async open(dataDir: string, { maxFileBytes = MAX_SPANS_FILE_BYTES }: { maxFileBytes?: number } = {}): Promise<TraceStore> {
    await mkdir(dataDir, { recursive: true });
    const store = new TraceStore(join(dataDir, SPANS_FILE), join(dataDir, PREVIOUS_SPANS_FILE), maxFileBytes);
    await store.load(store.previousFile);
    await store.load(store.file);
    store.fileBytes = await stat(store.file).then(
      (info) => info.size,
      () => 0,
    );
    return store;
  }

  private async load(file: string): Promise<void> {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        if (!line.trim()) continue;
        try {
          this.remember([JSON.parse(line) as ViewerSpan]);
        } catch {
          // A line cut short (the process was killed mid-write): skip it, keep the rest.
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }

  /** Resolves once the spans are in the file (and in memory). */
  append(spans: ViewerSpan[]): Promise<void> {
    if (spans.length === 0) return Promise.resolve();
    const text = spans.map((span) => JSON.stringify(span)).join("\n") + "\n";
    const written = this.writing.then(() => this.write(text));
    // The chain continues after a failed write; this caller still sees the failure.
    this.writing = written.catch(() => undefined);
    return written.then(() => this.remember(spans));
  }

  private async write(text: string): Promise<void> {
    if (this.fileBytes > 0 && this.fileBytes + Buffer.byteLength(text) > this.maxFileBytes) {
      // rename() replaces the older rotated file in one step: no moment without both files.
      await rename(this.file, this.previousFile);
      this.fileBytes = 0;
    }
    await appendFile(this.file, text, "utf8");
    this.fileBytes += Buffer.byteLength(text);
  }

  private remember(spans: ViewerSpan[]): void {
    for (const span of spans) {
      let trace = this.traces.get(span.traceId);
      if (!trace) {
        trace = { spans: [], ids: new Set() };
        this.traces.set(span.traceId, trace);
        if (this.traces.size > MAX_TRACES_IN_MEMORY) this.traces.delete(this.traces.keys().next().value!);
      }
      // A retried export (its 200 was lost) sends spans again: each span is shown once.
      if (trace.spans.length < MAX_SPANS_PER_TRACE && !trace.ids.has(span.spanId)) {
        trace.ids.add(span.spanId);
        trace.spans.push(span);
        trace.summary = undefined;
      }
    }
  }

  /** Summaries of the traces in memory, newest start first. */
  list(): TraceSummary[] {
    // Summaries are cached until a trace changes: the UI asks every 2 s, for every trace.
    return [...this.traces].map(([id, trace]) => (trace.summary ??= summarizeTrace(id, trace.spans))).sort((a, b) => b.startMs - a.startMs);
  }

  /** The spans of one trace, earliest start first; undefined when unknown. */
  get(traceId: string): ViewerSpan[] | undefined {
    const trace = this.traces.get(traceId);
    return trace && [...trace.spans].sort((a, b) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)));
  }
}
