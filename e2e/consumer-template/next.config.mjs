import { fileURLToPath } from "node:url";

/** A plain consumer app; the root is pinned because the repository around it has its own lock file. */
export default { turbopack: { root: fileURLToPath(new URL(".", import.meta.url)) } };
