/**
 * A streamed response (an SSE chat reply) keeps its span open until the body is fully sent or the
 * client goes away (core/invocation.ts finishResponse). Workers only promise waitUntil work a
 * limited time, and a stream can outlive it. So a stream still open at a deadline has a copy of its
 * span exported, ended "now" and marked `respan.span.partial = true`; when the stream ends, the
 * real span (same span id, complete) is exported by a flush handed to waitUntil from the stream's
 * own end, which runs while the runtime is still serving that stream. A receiver that keeps one
 * record per span id should let the final (not partial) one win.
 */
import type { Span } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { hrTime, hrTimeDuration } from "@opentelemetry/core";
import { finishResponse, type Finished } from "../../core/invocation.js";
import type { TracingHost } from "../../core/host.js";
import type { RequestScope } from "../../core/request-scope.js";
import { settleWithin } from "../../core/deadline.js";
import { copySpan } from "../../core/span-copy.js";

/**
 * When a still-open stream's span is exported as partial. Cloudflare keeps waitUntil work alive
 * 30 s after the response; 20 s (as USER_WORK_WAIT_MS) leaves 10 s to deliver the partial span.
 */
export const STREAM_PARTIAL_AFTER_MS = 20_000;

export const PARTIAL_ATTRIBUTE = "respan.span.partial";

export function finishStreamingResponse(
  response: Response,
  span: Span,
  host: TracingHost,
  scope: RequestScope | undefined,
  partialAfterMs: number = STREAM_PARTIAL_AFTER_MS,
): Finished<Response> {
  const finished = finishResponse(response, span);
  if (!scope || !span.isRecording()) return finished;
  // The body is streaming: deliver a partial copy if it is still open at the deadline, and the final span at its end.
  scope.handOff(
    settleWithin(finished.ended, partialAfterMs).then(async (inTime) => {
      if (inTime || !span.isRecording()) return;
      const live = span as unknown as ReadableSpan;
      const now = hrTime();
      const partial = copySpan(live, { endTime: now, duration: hrTimeDuration(live.startTime, now), ended: true, attributes: { ...live.attributes, [PARTIAL_ATTRIBUTE]: true } });
      await host.processSpans([partial]);
      await host.flush();
    }),
  );
  void finished.ended.then(() => scope.handOff(host.flush()));
  return finished;
}
