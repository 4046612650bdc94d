/**
 * instrumentDurableObject: every `fetch`, RPC method, `alarm` and hibernatable WebSocket event of a
 * Durable Object class gets a span; `fetch` and RPC calls made by an instrumented caller join its
 * trace (carrier.ts). Spans are delivered per invocation through `this.ctx.waitUntil`, and that
 * flush settles with the invocation: nothing (no promise, no timer) is held open between WebSocket
 * messages, so a hibernatable WebSocket still hibernates.
 * @example
 * import { DurableObject } from "cloudflare:workers";
 * class ChatRoomBase extends DurableObject { async say(text) { … } }
 * export const ChatRoom = instrumentDurableObject(ChatRoomBase, (env) => ({ appName: "chat" }));
 */
import { SpanKind } from "@opentelemetry/api";
import { instrumentClass, type AnyClass } from "./class-tracing.js";
import type { WorkerOptions } from "./shared.js";

/** The DurableObjectState members read here (no dependency on workers-types). */
interface DurableObjectStateLike {
  id?: { toString(): string; name?: string };
}

export function instrumentDurableObject<C extends AnyClass, Env = unknown>(DurableObjectClass: C, options: WorkerOptions<Env> = {}): C {
  const className = DurableObjectClass.name || "DurableObject";
  return instrumentClass(DurableObjectClass, options, {
    instanceAttributes: (_instance, ctx) => {
      const id = (ctx as DurableObjectStateLike | undefined)?.id;
      return {
        "cloudflare.durable_object.class": className,
        ...(id ? { "cloudflare.durable_object.id": id.toString() } : {}),
        ...(id?.name ? { "cloudflare.durable_object.name": id.name } : {}),
      };
    },
    lifecycle: {
      alarm: { name: `${className}.alarm`, kind: SpanKind.INTERNAL, attributes: { "faas.trigger": "timer" } },
      webSocketMessage: { name: `${className}.webSocketMessage`, kind: SpanKind.SERVER, attributes: { "faas.trigger": "websocket" } },
      webSocketClose: { name: `${className}.webSocketClose`, kind: SpanKind.SERVER, attributes: { "faas.trigger": "websocket" } },
      webSocketError: { name: `${className}.webSocketError`, kind: SpanKind.SERVER, attributes: { "faas.trigger": "websocket" } },
    },
  });
}
