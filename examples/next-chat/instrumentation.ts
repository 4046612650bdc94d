// Next.js calls register() once per server runtime (nodejs, and edge): respan-tracing starts there.
// RESPAN_API_KEY (to Respan) or RESPAN_EXPORT_URL (any OTLP endpoint) are read from the environment.
export async function register() {
  const { registerRespan } = await import("respan-tracing/next");
  const { LOCAL_VIEWER, toLocalViewer } = await import("./lib/destination");
  if (toLocalViewer()) {
    console.warn(`respan-tracing: no RESPAN_EXPORT_URL or RESPAN_API_KEY: spans go to the local viewer at ${LOCAL_VIEWER} (start it with \`npx respan-tracing view\`).`);
  }
  // The openai client is instrumented where the routes import it (lib/llm.ts): see the note there.
  registerRespan({ appName: `next-chat-${process.env.NEXT_RUNTIME}`, ...(toLocalViewer() ? { exportUrl: LOCAL_VIEWER } : {}) });
}
