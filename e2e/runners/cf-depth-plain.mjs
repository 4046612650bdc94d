// An uninstrumented queue consumer: reports each body it sees to the test's recorder, untouched.
export default {
  fetch: () => new Response("plain"),
  // RPC to an object-style default export (no WorkerEntrypoint): called as (argument, env, ctx).
  echo(argument) {
    return { received: argument };
  },
  async queue(batch, env) {
    const bodies = batch.messages.map((message) => message.body);
    await fetch(env.RECORD_URL, { method: "POST", body: JSON.stringify(bodies) });
    batch.ackAll();
  },
};
