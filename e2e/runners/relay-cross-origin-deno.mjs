// Two Deno.serve servers: a site embedding the widget, and the app's trace relay on another origin
// (another port), which allows only the site's origin.
// deno run --allow-net --allow-read --allow-env relay-cross-origin-deno.mjs <upstreamBaseUrl> <widgetBundle>
import { createTraceRelay } from "respan-tracing/relay";

const [upstream, widgetBundle] = Deno.args;
const widget = await Deno.readTextFile(widgetBundle);
let relay;

const app = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => undefined }, (request) => {
  if (new URL(request.url).pathname === "/v1/traces") return relay(request);
  return new Response("not found", { status: 404 });
});
const site = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => undefined }, (request) => {
  const { pathname } = new URL(request.url);
  if (pathname === "/widget.js") return new Response(widget, { headers: { "content-type": "text/javascript" } });
  if (pathname === "/blank") return new Response("<!doctype html><p>elsewhere</p>", { headers: { "content-type": "text/html" } });
  const relayUrl = `http://127.0.0.1:${app.addr.port}/v1/traces`;
  return new Response(`<!doctype html><meta charset="utf-8"><script>window.RELAY_URL = ${JSON.stringify(relayUrl)};</script><script src="/widget.js"></script>`, { headers: { "content-type": "text/html" } });
});
relay = createTraceRelay({ apiKey: Deno.env.get("RELAY_API_KEY"), baseUrl: upstream, allowedOrigins: [`http://127.0.0.1:${site.addr.port}`] });
console.log(`LISTENING ${site.addr.port} ${app.addr.port}`);
