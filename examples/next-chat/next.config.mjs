import { fileURLToPath } from "node:url";

/**
 * The root is pinned to this folder: inside the respan-tracing repository Next would otherwise
 * take the repository's lock file for the workspace root. In your own app you need none of this.
 */
export default { turbopack: { root: fileURLToPath(new URL(".", import.meta.url)) } };
