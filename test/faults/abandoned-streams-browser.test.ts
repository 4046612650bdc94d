/**
 * In Chromium a ReadableStream's JS wrapper can be collected while the stream lives on in C++ and
 * is still being read (a young-generation collection drops wrappers that only C++ holds): taking
 * that for abandonment would end the span early with partial output. Streams read to their end
 * through a reader, a pipe or a Response (and a generator, a plain JS object), with minor and major collections between reads, must
 * end as read; a stream dropped unread still ends as abandoned. Real Chromium, --expose-gc.
 */
import { createServer } from "node:http";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { CHROMIUM } from "../../e2e/harness/chromium.js";
import { bundleFixture } from "../helpers/bundle-fixture.js";
import { onCleanup } from "../helpers/setup.js";

interface Report {
  results: Record<string, string>;
  spans: Array<{ name: string; abandoned: boolean; output?: string }>;
}

describe("Chromium: streams read through a reader while the collector runs", () => {
  it("end as read, never as abandoned; a stream dropped unread ends as abandoned", async () => {
    const script = await bundleFixture("abandoned-streams-browser.mjs", ["browser"]);
    const server = createServer((req, res) => {
      if (req.url === "/page.js") res.writeHead(200, { "content-type": "text/javascript" }).end(script);
      else res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const browser = await chromium.launch({ ...CHROMIUM, args: [...CHROMIUM.args, "--js-flags=--expose-gc"] });
    onCleanup(() => browser.close());

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    const report = (await page.evaluate(() => (window as any).runScenarios())) as Report;
    expect(errors).toEqual([]);

    const whole = "c0 c1 c2 c3 c4 c5 ";
    expect(report.results).toEqual({ reader: whole, pipeTo: whole, responseBody: whole, generator: whole, arrayFromAsync: whole, dropped: "" });
    const outcome = Object.fromEntries(report.spans.map((s) => [s.name, { abandoned: s.abandoned, output: s.output }]));
    // What the dropped stream had pulled before it was collected depends on when that came.
    expect({ ...outcome, "dropped.task": { abandoned: outcome["dropped.task"]?.abandoned } }).toEqual({
      "reader.task": { abandoned: false, output: JSON.stringify(whole) },
      "pipe_to.task": { abandoned: false, output: JSON.stringify(whole) },
      "response_body.task": { abandoned: false, output: JSON.stringify(whole) },
      "generator.task": { abandoned: false, output: JSON.stringify(whole) },
      "array_from_async.task": { abandoned: false, output: JSON.stringify(whole) },
      "dropped.task": { abandoned: true },
    });
  });
});
