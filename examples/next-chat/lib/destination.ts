/** Where spans go when neither RESPAN_EXPORT_URL nor RESPAN_API_KEY is set: `npx respan-tracing view`. */
export const LOCAL_VIEWER = "http://127.0.0.1:4318/v1/traces";

export function toLocalViewer(): boolean {
  return !process.env.RESPAN_API_KEY && !process.env.RESPAN_EXPORT_URL;
}
