import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { shouldPropagate } from "../src/integrations/fetch.js";
import { withTask } from "../src/runtime/node.js";
import { onCleanup, tracedWithReceiver } from "./helpers/setup.js";

async function echoServer(): Promise<{ url: string; port: number; seen: Array<{ path: string; headers: IncomingHttpHeaders }> }> {
  const seen: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  const server = createServer((request, response) => {
    seen.push({ path: request.url ?? "", headers: request.headers });
    response.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, seen };
}

const traceparentOf = (seen: Array<{ path: string; headers: IncomingHttpHeaders }>, path: string) => seen.find((s) => s.path === path)?.headers.traceparent;

describe("tracePropagationTargets: which requests get traceparent (Node, real fetch)", () => {
  it("a target that is a text prefix of the request's origin (another port) gets nothing", async () => {
    const server = await echoServer();
    // "http://127.0.0.1:4356" is a prefix of "http://127.0.0.1:43567": a different origin.
    const lookAlike = `http://127.0.0.1:${String(server.port).slice(0, -1)}`;
    await tracedWithReceiver({ tracePropagationTargets: [lookAlike] });
    await withTask({ name: "calls" }, () => fetch(`${server.url}/x`));
    expect(traceparentOf(server.seen, "/x")).toBeUndefined();
  });

  it("a target path matches itself and below it on a / boundary, not /apix", async () => {
    const server = await echoServer();
    await tracedWithReceiver({ tracePropagationTargets: [`${server.url}/api`] });
    await withTask({ name: "calls" }, async () => {
      for (const path of ["/api", "/api/chat?q=1", "/apix", "/", "/other/api"]) await fetch(`${server.url}${path}`);
    });
    expect(traceparentOf(server.seen, "/api")).toMatch(/^00-/);
    expect(traceparentOf(server.seen, "/api/chat?q=1")).toMatch(/^00-/);
    expect(traceparentOf(server.seen, "/apix")).toBeUndefined();
    expect(traceparentOf(server.seen, "/")).toBeUndefined();
    expect(traceparentOf(server.seen, "/other/api")).toBeUndefined();
  });

  it("a RegExp with the g flag answers the same for every request", async () => {
    const server = await echoServer();
    await tracedWithReceiver({ tracePropagationTargets: [/127\.0\.0\.1/g] });
    await withTask({ name: "calls" }, async () => {
      for (const path of ["/1", "/2", "/3"]) await fetch(`${server.url}${path}`);
    });
    expect(["/1", "/2", "/3"].map((path) => traceparentOf(server.seen, path))).toEqual([expect.stringMatching(/^00-/), expect.stringMatching(/^00-/), expect.stringMatching(/^00-/)]);
  });
});

describe("tracePropagationTargets: the documented rule", () => {
  const match = (request: string, target: string, base?: string) => shouldPropagate(new URL(request), [target], base);

  it.each([
    ["https://api.example.com", "https://api.example.com"],
    ["https://api.example.com/", "https://api.example.com"],
    ["https://api.example.com/v1/chat", "https://api.example.com"],
    ["https://api.example.com:443/x", "https://api.example.com"],
    ["https://API.example.com/x", "https://api.example.com/"],
    ["https://x.com/api", "https://x.com/api"],
    ["https://x.com/api/", "https://x.com/api"],
    ["https://x.com/api/chat?q=1#f", "https://x.com/api/"],
    ["https://user:pw@x.com/api", "https://x.com/api"],
  ])("%s matches %s", (request, target) => expect(match(request, target)).toBe(true));

  it.each([
    ["https://api.example.com.evil.net/", "https://api.example.com"],
    ["https://api.example.com:8443/", "https://api.example.com"],
    ["https://api.example.com@evil.net/", "https://api.example.com"],
    ["https://api.example.community/", "https://api.example.com"],
    ["http://api.example.com/", "https://api.example.com"],
    ["https://evil.net/https://api.example.com", "https://api.example.com"],
    ["https://x.com/apix", "https://x.com/api"],
    ["https://x.com/ap", "https://x.com/api"],
    ["https://x.com/", "https://x.com/api"],
    ["https://api.example.com/", "api.example.com"],
    ["https://api.example.com/", "//api.example.com"],
    ["https://api.example.com/", ""],
  ])("%s does not match %s", (request, target) => expect(match(request, target)).toBe(false));

  it("a path target is read against the page's URL, only where there is one", () => {
    expect(match("https://app.example.com/api/chat", "/api", "https://app.example.com/page")).toBe(true);
    expect(match("https://evil.net/api/chat", "/api", "https://app.example.com/page")).toBe(false);
    expect(match("https://app.example.com/api/chat", "/api")).toBe(false);
  });
});
