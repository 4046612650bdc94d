// Next.js calls register() once per server runtime (nodejs, and edge): respan-tracing starts there.
// RESPAN_API_KEY (to Respan) or RESPAN_EXPORT_URL (any OTLP endpoint) are read from the environment.
export async function register() {
  const { registerRespan } = await import("respan-tracing/next");
  if (!process.env.RESPAN_API_KEY && !process.env.RESPAN_EXPORT_URL) {
    console.warn(
      "respan-tracing: spans are not exported. Run `npx respan-tracing view` and restart with " +
        "RESPAN_EXPORT_URL=http://127.0.0.1:4318/v1/traces npm start, or set RESPAN_API_KEY.",
    );
  }
  // The openai client is instrumented where the routes import it (lib/llm.ts): see the note there.
  registerRespan({ appName: `next-chat-${process.env.NEXT_RUNTIME}` });
}
