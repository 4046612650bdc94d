// A Deno.serve app: serves a page and the same-origin trace relay it exports to.
// deno run --allow-net --allow-read --allow-env relay-deno.mjs <upstreamBaseUrl> <pageBundle>
import { createTraceRelay } from "respan-tracing/relay";

const [upstream, pageBundle] = Deno.args;
const page = await Deno.readTextFile(pageBundle);
let relay;

const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) => console.log(`LISTENING ${port}`) }, (request) => {
  const { pathname } = new URL(request.url);
  if (pathname === "/v1/traces") return relay(request);
  if (pathname === "/delivery.js") return new Response(page, { headers: { "content-type": "text/javascript" } });
  if (pathname === "/blank") return new Response("<!doctype html><p>elsewhere</p>", { headers: { "content-type": "text/html" } });
  return new Response(`<!doctype html><meta charset="utf-8"><script src="/delivery.js"></script>`, { headers: { "content-type": "text/html" } });
});
relay = createTraceRelay({ apiKey: Deno.env.get("RELAY_API_KEY"), baseUrl: upstream, allowedOrigins: [`http://127.0.0.1:${server.addr.port}`] });
