// Next.js calls register() once per runtime (nodejs and edge): one line sets respan-tracing up.
export async function register() {
  const { registerRespan } = await import("respan-tracing/next");
  registerRespan({ appName: `next-app-${process.env.NEXT_RUNTIME}`, exportUrl: process.env.TEST_EXPORT_URL });
}
