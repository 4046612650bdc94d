/**
 * SPEC §3: wrappers "keep the signature"; "Sync functions stay sync (no Promise is introduced)".
 * entity-span.ts runEntity: when the result is a thenable it returns `result.then(finish, fail)`,
 * i.e. a plain Promise instead of the object the function returned. The LLM instrumentation takes
 * care to return "the same promise object (its withResponse()/asResponse() keep working)"
 * (llm-call.ts), but wrapping a function that returns such a promise in task()/tool() throws that
 * away: `ask(q).withResponse()` is a TypeError. The same breaks every "thenable builder" (Knex,
 * Mongoose queries, Prisma, Drizzle: `.then` even EXECUTES them eagerly, before the caller could
 * chain `.where()`/`.lean()`).
 */
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { RespanTelemetry, task } from "../../src/runtime/node.js";
import { mockLlm } from "../helpers/mock-llm.js";
import { onCleanup } from "../helpers/setup.js";
import { memoryExporter } from "./memory-exporter.js";

describe("a wrapped function that returns a thenable object", () => {
  it("OpenAI's APIPromise keeps withResponse() through task()", async () => {
    const llm = await mockLlm();
    const exporter = memoryExporter();
    const telemetry = new RespanTelemetry({ customExporter: exporter, env: {}, instrumentModules: { openai: OpenAI } });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    const openai = new OpenAI({ apiKey: "mock-key", baseURL: `${llm.url}/v1` });
    const ask = task({ name: "ask" }, (question: string) =>
      openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: question }] }),
    );
    const { data, response } = await ask("Tell me a joke").withResponse();
    expect(response.status).toBe(200);
    expect(data.choices.length).toBeGreaterThan(0);
  });

  it("a lazy query builder is returned as is and not executed by the wrapper", async () => {
    const exporter = memoryExporter();
    const telemetry = new RespanTelemetry({ customExporter: exporter, env: {} });
    onCleanup(() => telemetry.shutdown({ timeoutMs: 100 }));
    let executed = 0;
    class Query {
      private filters: string[] = [];
      where(filter: string) {
        this.filters.push(filter);
        return this;
      }
      then<T>(resolve: (rows: string[]) => T, reject?: (e: unknown) => T) {
        executed++;
        return Promise.resolve([...this.filters]).then(resolve, reject);
      }
    }
    const users = task({ name: "users_query" }, () => new Query());
    const query = users();
    expect(query).toBeInstanceOf(Query);
    expect(executed).toBe(0);
    const rows = await (query as Query).where("active");
    expect(rows).toEqual(["active"]);
    expect(executed).toBe(1);
  });
});
