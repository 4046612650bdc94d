/**
 * The README's code blocks, checked as a user who found the package on npm would use them:
 * every TypeScript/JavaScript block type-checks on its own against the BUILT package (imports
 * resolved through package.json `exports` to `dist/`), the Node blocks marked below also run and
 * export to a loopback receiver, and every `sh` command names a script, bin, flag or file that
 * exists. Needs `npm run build` first (`npm test` builds before vitest).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spanNamed, startOtlpReceiver } from "./helpers/otlp-receiver.js";
import { onCleanup } from "./helpers/setup.js";
import { runProcess } from "../e2e/harness/run-process.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; scripts: Record<string, string>; bin: Record<string, string> };

export interface Block {
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The nearest heading above the block, for test titles. */
  section: string;
}

/** Every fenced block, in order. */
export function extractBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split("\n");
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#+\s+(.*)$/.exec(lines[i]!);
    if (heading) section = heading[1]!;
    const fence = /^(\s*)(```+|~~~+)\s*([\w-]*)/.exec(lines[i]!);
    if (!fence) continue;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trimStart().startsWith(fence[2]!)) body.push(lines[j++]!);
    if (j === lines.length) throw new Error(`README.md:${i + 1}: unclosed code fence`);
    blocks.push({ lang: fence[3]!.toLowerCase(), code: body.join("\n") + "\n", line: i + 1, section });
    i = j;
  }
  return blocks;
}

const TS_LANGS = new Set(["ts", "typescript", "tsx"]);
const JS_LANGS = new Set(["js", "javascript", "mjs", "jsx"]);
const SH_LANGS = new Set(["sh", "bash", "shell", "console"]);
/** Blocks that are not code to check (diagrams, output, config samples). */
const OTHER_LANGS = new Set(["text", "json", "toml", "diff", ""]);

const blocks = extractBlocks(README);
const codeBlocks = blocks.filter((b) => TS_LANGS.has(b.lang) || JS_LANGS.has(b.lang));
const shBlocks = blocks.filter((b) => SH_LANGS.has(b.lang));
const title = (b: Block) => `README.md:${b.line} (${b.section}, ${b.lang})`;
const fileFor = (b: Block) => `block-${b.line}.${TS_LANGS.has(b.lang) ? (b.lang === "tsx" ? "tsx" : "ts") : b.lang === "jsx" ? "jsx" : "mjs"}`;

/**
 * A consumer project: `node_modules/respan-tracing` links to this repository (so imports resolve
 * through its `exports` to `dist/`), and every other entry links to the repository's own
 * node_modules (openai, next, @types/node … as a user would have them installed).
 */
function makeConsumerProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "respan-readme-"));
  const modules = join(dir, "node_modules");
  mkdirSync(modules);
  for (const entry of readdirSync(join(ROOT, "node_modules"))) {
    if (entry === PACKAGE.name || entry.startsWith(".")) continue;
    symlinkSync(join(ROOT, "node_modules", entry), join(modules, entry));
  }
  symlinkSync(ROOT, join(modules, PACKAGE.name), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "readme-consumer", private: true, type: "module" }));
  return dir;
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  noEmit: true,
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  // Each block is its own module, whether or not it has imports.
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  types: ["node"],
  allowJs: true,
  checkJs: true,
  skipLibCheck: true,
  jsx: ts.JsxEmit.ReactJSX,
};

/** Blocks using decorators, which the README says work both as standard and as `experimentalDecorators`. */
const usesDecorators = (b: Block) => /^\s*@\w+\(/m.test(b.code);

const CLOUDFLARE_WORKERS_TYPES = `declare module "cloudflare:workers" {
  export abstract class DurableObject<Env = unknown> {
    protected ctx: { waitUntil(promise: Promise<unknown>): void; acceptWebSocket(ws: WebSocket): void };
    protected env: Env;
    constructor(ctx: unknown, env: Env);
  }
  export abstract class WorkerEntrypoint<Env = unknown> {
    protected ctx: { waitUntil(promise: Promise<unknown>): void };
    protected env: Env;
    constructor(ctx: unknown, env: Env);
  }
}
`;

/** Type-checks the blocks in one program; returns the diagnostics per block file. */
function typeCheck(dir: string, selected: Block[], extra: ts.CompilerOptions = {}): Map<string, string[]> {
  const files = selected.map((b) => join(dir, fileFor(b)));
  selected.forEach((b, i) => writeFileSync(files[i]!, b.code));
  // What @cloudflare/workers-types declares for the Workers runtime module (a Worker project has it).
  writeFileSync(join(dir, "cloudflare-workers.d.ts"), CLOUDFLARE_WORKERS_TYPES);
  const program = ts.createProgram([...files, join(dir, "cloudflare-workers.d.ts")], { ...COMPILER_OPTIONS, typeRoots: [join(dir, "node_modules", "@types")], ...extra });
  const byFile = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const key = d.file?.fileName ?? "(global)";
    const list = byFile.get(key) ?? (byFile.set(key, []), byFile.get(key)!);
    list.push(where ? `line ${where.line + 1}:${where.character + 1}: ${message}` : message);
  }
  return byFile;
}

let consumer: string;
let diagnostics: Map<string, string[]>;
let legacyDecoratorDiagnostics: Map<string, string[]>;

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist", "types", "runtime", "node.d.ts"))) throw new Error("dist/ is missing: run `npm run build` first");
  consumer = makeConsumerProject();
  diagnostics = typeCheck(consumer, codeBlocks);
  legacyDecoratorDiagnostics = typeCheck(consumer, codeBlocks.filter(usesDecorators), { experimentalDecorators: true });
}, 60_000);

afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

describe("README.md code blocks", () => {
  it("has only blocks this test knows how to check", () => {
    expect(codeBlocks.length).toBeGreaterThan(5);
    expect(shBlocks.length).toBeGreaterThan(0);
    for (const b of blocks) {
      expect(TS_LANGS.has(b.lang) || JS_LANGS.has(b.lang) || SH_LANGS.has(b.lang) || OTHER_LANGS.has(b.lang), `${title(b)}: unknown language`).toBe(true);
      expect(b.lang, `${title(b)}: say which language the block is`).not.toBe("");
    }
  });

  it("reports diagnostics outside the blocks (compiler setup) as none", () => {
    const blockFiles = new Set(codeBlocks.map((b) => join(consumer, fileFor(b))));
    const stray = [...diagnostics].filter(([file, list]) => !blockFiles.has(file) && list.length > 0);
    expect(stray).toEqual([]);
  });

  describe.each(codeBlocks.map((b) => [title(b), b] as const))("%s", (_name, block) => {
    it("type-checks against the built package, imports included", () => {
      const errors = diagnostics.get(join(consumer, fileFor(block))) ?? [];
      expect(errors, `${title(block)}:\n${block.code}`).toEqual([]);
    });
  });

  describe.each(codeBlocks.filter(usesDecorators).map((b) => [title(b), b] as const))("%s", (_name, block) => {
    it("also type-checks with experimentalDecorators", () => {
      const errors = legacyDecoratorDiagnostics.get(join(consumer, fileFor(block))) ?? [];
      expect(errors, `${title(block)}:\n${block.code}`).toEqual([]);
    });
  });
});

/** Transpiles a block to an ES module in the consumer project and runs it with Node. */
async function runBlock(block: Block, env: Record<string, string>): Promise<string> {
  const js = ts.transpileModule(block.code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  const file = join(consumer, `run-${block.line}.mjs`);
  writeFileSync(file, js);
  const { code, output } = await runProcess(process.execPath, [file], {
    cwd: consumer,
    env: { PATH: process.env.PATH ?? "", ...env },
    inheritEnv: false,
    timeoutMs: 20_000,
  });
  expect(code, `${title(block)} exited with ${code}:\n${output}`).toBe(0);
  return output;
}

function blockUnder(section: string, index = 0): Block {
  const found = codeBlocks.filter((b) => b.section === section)[index];
  if (!found) throw new Error(`no code block under "${section}" in README.md`);
  return found;
}

describe("README.md Node blocks run and export", () => {
  it("Quick start: the workflow and its task arrive, with the customer id", async () => {
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    await runBlock(blockUnder("Quick start"), { RESPAN_EXPORT_URL: `${receiver.url}/v1/traces` });
    const workflow = spanNamed(receiver.spans, "joke_workflow.workflow");
    const task = spanNamed(receiver.spans, "joke_creation.task");
    expect(task.parentSpanId).toBe(workflow.spanId);
    expect(workflow.attributes["respan.customer_params.customer_identifier"]).toBe("user-42");
  });

  it("Processors, sampling, links, buffers: the buffered span is exported under its parent, with the link", async () => {
    const receiver = await startOtlpReceiver();
    onCleanup(() => receiver.close());
    const block = blockUnder("Processors, sampling, links, buffers");
    const output = await runBlock(block, { RESPAN_EXPORT_URL: `${receiver.url}/v1/traces` });
    expect(output).toContain("noisy.task"); // the "debug" processor's console tree
    const step = spanNamed(receiver.spans, "step.task");
    const parentTraceId = /parentTraceId = "([0-9a-f]{32})"/.exec(block.code)?.[1];
    const parentSpanId = /parentSpanId = "([0-9a-f]{16})"/.exec(block.code)?.[1];
    expect(parentTraceId && parentSpanId, "the block names the job's parent ids").toBeTruthy();
    expect(step.traceId).toBe(parentTraceId);
    expect(step.parentSpanId).toBe(parentSpanId);
    // The attached link went to the next wrapper span in this flow: the buffered step.
    const [, traceId, spanId] = /traceId = "([0-9a-f]{32})", spanId = "([0-9a-f]{16})"/.exec(block.code) ?? [];
    expect(step.links.map((l) => [l.traceId, l.spanId])).toEqual([[traceId, spanId]]);
    expect(receiver.spans.map((s) => s.name)).not.toContain("noisy.task"); // routed to "debug" only
  });
});

/** Things a README `sh` line may name that are the reader's own (not in this repository). */
const USER_FILES = new Set(["app.js"]);

describe("README.md sh blocks name things that exist", () => {
  const viewerArgs = readFileSync(join(ROOT, "src", "viewer", "args.ts"), "utf8");
  describe.each(shBlocks.map((b) => [title(b), b] as const))("%s", (_name, block) => {
    it("every command exists", () => {
      const commands = block.code
        .split("\n")
        .map((l) => l.replace(/(^|\s)#.*$/, "").trim())
        .filter(Boolean)
        .flatMap((l) => l.split(/&&|\|\||;|\|/).map((c) => c.trim()));
      expect(commands.length).toBeGreaterThan(0);
      for (const command of commands) {
        const words = command.split(/\s+/).filter((w) => !/^[A-Z_][A-Z0-9_]*=/.test(w)); // env assignments
        const [tool, sub, ...rest] = words;
        const what = `${title(block)}: \`${command}\``;
        if (tool === "npm") {
          if (sub === "install" || sub === "i" || sub === "ci") continue;
          const script = sub === "run" ? rest[0] : sub;
          expect(PACKAGE.scripts, `${what}: no such npm script`).toHaveProperty([script!]);
        } else if (tool === "npx") {
          expect(PACKAGE.bin, `${what}: no such bin`).toHaveProperty([sub!]);
          expect(existsSync(join(ROOT, PACKAGE.bin[sub!]!)), `${what}: the bin's file is not built`).toBe(true);
          expect(rest[0], what).toBe("view");
          for (const flag of rest.filter((w) => w.startsWith("--"))) expect(viewerArgs, `${what}: unknown flag ${flag}`).toContain(`"${flag}"`);
        } else if (tool === "node" || tool === "bash") {
          const file = sub!;
          expect(USER_FILES.has(file) || existsSync(join(ROOT, file)), `${what}: no file ${file}`).toBe(true);
        } else {
          throw new Error(`${what}: this test does not know the command ${tool}`);
        }
      }
    });
  });
});
