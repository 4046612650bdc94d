// A Worker and a Durable Object for trouble inside the SDK. MODE "bad-options": options the SDK
// rejects (a string where a list belongs). MODE "hang": an export endpoint that never answers.
// MODE "frozen": the app freezes its env. Each way the user's request and RPC call must work as if untraced.
import { DurableObject } from "cloudflare:workers";
import { instrumentDurableObject, instrumentWorker } from "respan-tracing/workers";

const options = (env) => (env.MODE === "bad-options" ? { instruments: "openai", exportUrl: env.EXPORT_URL } : { exportUrl: env.EXPORT_URL });

class ObjBase extends DurableObject {
  async ping(x) {
    return `pong ${x}`;
  }
}
export const Obj = instrumentDurableObject(ObjBase, options);

async function fetch(request, env) {
  if (env.MODE === "frozen") Object.freeze(env);
  return new Response(await env.OBJ.getByName("o").ping(new URL(request.url).pathname));
}

export default instrumentWorker({ fetch }, options);
