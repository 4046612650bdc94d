/**
 * The OpenAI client the chat routes use: the real provider when OPENAI_API_KEY is set, otherwise
 * the built-in mock (./mock-llm.ts), handed to the real client as its `fetch`, so the call runs
 * in-process in both runtimes and needs no network.
 */
import OpenAI from "openai";
import { instrumentOpenAI } from "respan-tracing/openai";
import { mockChatCompletions } from "./mock-llm";

// Patched here, in the module the routes import, not through registerRespan's instrumentModules:
// Next bundles instrumentation.ts and each route separately, each with its own copy of `openai`,
// so a class handed over in instrumentation.ts is not the one the routes construct.
instrumentOpenAI(OpenAI);

let client: OpenAI | undefined;

export function openai(): OpenAI {
  client ??= process.env.OPENAI_API_KEY
    ? new OpenAI({ apiKey: process.env.OPENAI_API_KEY })
    : new OpenAI({ apiKey: "mock-key", baseURL: "https://mock-llm.invalid/v1", fetch: (url, init) => mockChatCompletions(new Request(url, init)) });
  return client;
}

export const model = () => process.env.OPENAI_MODEL || "gpt-4o-mini";
