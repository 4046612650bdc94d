/**
 * A queue batch as the consumer's handler sees it: every message's body is the body that was sent
 * (the trace envelope of a traced queue is removed, see carrier.ts), and every message gets a
 * CONSUMER span: a child of the span that sent it when the message carried one, else of the batch
 * span. A message span ends at `ack()` / `retry()` (or ackAll/retryAll), else when the handler ends.
 */
import { SpanKind, trace, type Context, type Link, type Span } from "@opentelemetry/api";
import type { TracingHost } from "../../core/host.js";
import { unwrapQueueBody } from "./carrier.js";

export interface QueueMessageLike {
  readonly id?: string;
  readonly body: unknown;
  ack?(): void;
  retry?(options?: unknown): void;
}

export interface QueueBatchLike {
  readonly queue: string;
  readonly messages: readonly QueueMessageLike[];
  ackAll?(): void;
  retryAll?(options?: unknown): void;
}

/** What a batch's messages carried, read before the batch span starts (its parent and links depend on it). */
export interface BatchCarriers {
  bodies: unknown[];
  parents: (Context | undefined)[];
  /** The batch span's parent: the producer's context when every traced message came from one span. */
  parent?: Context;
  links: Link[];
}

export function readCarriers(batch: QueueBatchLike): BatchCarriers {
  const bodies: unknown[] = [];
  const parents: (Context | undefined)[] = [];
  const producers = new Map<string, Link>();
  for (const message of batch.messages) {
    const { body, parent } = unwrapQueueBody(message.body);
    bodies.push(body);
    parents.push(parent);
    const producer = parent && trace.getSpanContext(parent);
    if (producer) producers.set(producer.spanId, { context: producer });
  }
  const links = [...producers.values()];
  const single = links.length === 1 && parents.every((p) => p !== undefined) ? parents[0] : undefined;
  return { bodies, parents, parent: single, links: single ? [] : links };
}

/** The batch handed to user code, and `finish()` that ends the message spans still open. */
export function traceBatch<B extends QueueBatchLike>(batch: B, carriers: BatchCarriers, host: TracingHost, batchContext: Context): { batch: B; finish: (outcome: string) => void } {
  const batchSpan = trace.getSpanContext(batchContext);
  const spans: Span[] = [];
  const messages = batch.messages.map((message, index) => {
    const parent = carriers.parents[index] ?? batchContext;
    const span = host.startSpan(
      `process ${batch.queue}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: { "messaging.system": "cloudflare_queues", "messaging.destination.name": batch.queue, "messaging.operation.type": "process", ...(message.id ? { "messaging.message.id": message.id } : {}) },
        links: batchSpan && carriers.parents[index] ? [{ context: batchSpan }] : [],
      },
      parent,
    );
    spans.push(span);
    const settle = (outcome: string) => {
      if (!span.isRecording()) return;
      span.setAttribute("respan.queue.outcome", outcome);
      span.end();
    };
    return new Proxy(message, {
      get(target, property) {
        if (property === "body") return carriers.bodies[index];
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== "function") return value;
        if (property === "ack" || property === "retry")
          return (...args: unknown[]) => {
            settle(property);
            return Reflect.apply(value, target, args) as unknown;
          };
        return value.bind(target);
      },
    });
  });
  const endAll = (outcome: string) => spans.forEach((span) => span.isRecording() && (span.setAttribute("respan.queue.outcome", outcome), span.end()));
  const wrapped = new Proxy(batch, {
    get(target, property) {
      if (property === "messages") return messages;
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== "function") return value;
      if (property === "ackAll" || property === "retryAll")
        return (...args: unknown[]) => {
          endAll(property === "ackAll" ? "ack" : "retry");
          return Reflect.apply(value, target, args) as unknown;
        };
      return value.bind(target);
    },
  });
  return { batch: wrapped, finish: endAll };
}
