import { startMockLlmServer } from "../../examples/node-tutorial/mock-llm-server.mjs";
import { onCleanup } from "./setup.js";

/** The tutorial's loopback mock provider, speaking the real OpenAI and Anthropic HTTP APIs. */
export async function mockLlm(): Promise<{ url: string; requests: Array<{ path: string; body: any }> }> {
  const server = await startMockLlmServer();
  onCleanup(() => server.close());
  return server;
}
