import { createServer, type Socket } from "node:net";
import { onCleanup } from "./setup.js";

/**
 * A TCP server that accepts connections and never answers (the peer that never responds);
 * closed after the current test. `requests()` counts connections that carried a request: undici
 * opens an idle spare connection after an abort, so connections alone would mislead.
 */
export async function silentServer(): Promise<{ url: string; requests: () => number }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once("data", () => count++);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/v1/traces`, requests: () => count };
}
