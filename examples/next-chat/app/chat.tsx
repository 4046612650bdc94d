"use client";
/**
 * The chat widget. Browsers have no async context, so the trace is carried explicitly:
 * `withWorkflow` opens the send's span, the `fetch` it starts synchronously is traced (and carries
 * `traceparent`) because it runs inside the workflow, and the reading of the streamed reply, after
 * an `await`, is put back under it with `context: getClient().currentContext()` taken beforehand.
 */
import { useEffect, useState, type FormEvent } from "react";
import { getClient, withTask, withWorkflow } from "respan-tracing";
import { browserTelemetry } from "../lib/browser-tracing";

type Runtime = "nodejs" | "edge";
interface Message {
  role: "user" | "assistant";
  text: string;
}

const ROUTES: Record<Runtime, string> = { nodejs: "/api/chat", edge: "/api/chat-edge" };

/** Reads `data: {"text": "…"}` events until `[DONE]`, handing each piece of text to `onText`. */
async function readEvents(body: ReadableStream<Uint8Array>, onText: (text: string) => void): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let answer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return answer;
    buffer += decoder.decode(value, { stream: true });
    const events = buffer.split("\n\n");
    buffer = events.pop() ?? "";
    for (const event of events) {
      const data = event.replace(/^data: /, "");
      if (data === "[DONE]") return answer;
      const { text } = JSON.parse(data) as { text: string };
      answer += text;
      onText(text);
    }
  }
}

export function Chat() {
  const [runtime, setRuntime] = useState<Runtime>("nodejs");
  const [draft, setDraft] = useState("");
  const [messages, setMessages] = useState<Message[]>([]);
  const [busy, setBusy] = useState(false);

  // ?runtime=edge picks the edge route from a link; the radio buttons below switch it too.
  useEffect(() => {
    if (new URLSearchParams(location.search).get("runtime") === "edge") setRuntime("edge");
    browserTelemetry();
  }, []);

  const appendToReply = (text: string) =>
    setMessages((all) => [...all.slice(0, -1), { role: "assistant", text: all.at(-1)!.text + text }]);

  async function send(event: FormEvent) {
    event.preventDefault();
    const message = draft.trim();
    if (!message || busy) return;
    setDraft("");
    setBusy(true);
    setMessages((all) => [...all, { role: "user", text: message }, { role: "assistant", text: "" }]);
    const telemetry = browserTelemetry();
    try {
      await withWorkflow({ name: "chat_send" }, async () => {
        // Taken now, while chat_send is current: after the first await it no longer is.
        const sendContext = getClient().currentContext();
        const response = await fetch(ROUTES[runtime], {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ message }),
        });
        if (!response.ok || !response.body) throw new Error(`the chat route answered ${response.status}`);
        return withTask({ name: "read_reply", context: sendContext }, () => readEvents(response.body!, appendToReply));
      });
    } catch (error) {
      appendToReply(`(failed: ${(error as Error).message})`);
    } finally {
      setBusy(false);
      // Send this message's spans now rather than on the batch timer; flush() never rejects.
      void telemetry.flush();
    }
  }

  return (
    <form onSubmit={send}>
      <fieldset style={{ border: "none", padding: 0 }}>
        <legend>Route</legend>
        {(["nodejs", "edge"] as const).map((name) => (
          <label key={name} style={{ marginRight: "1rem" }}>
            <input type="radio" name="runtime" value={name} checked={runtime === name} onChange={() => setRuntime(name)} />
            {name === "nodejs" ? " Node.js (/api/chat)" : " Edge (/api/chat-edge)"}
          </label>
        ))}
      </fieldset>
      <div role="log" aria-live="polite" style={{ minHeight: "8rem", border: "1px solid #ccc", padding: "0.5rem", margin: "0.5rem 0" }}>
        {messages.map((m, i) => (
          <p key={i} data-role={m.role}>
            <strong>{m.role === "user" ? "You" : "Assistant"}:</strong> {m.text}
          </p>
        ))}
      </div>
      <textarea aria-label="Message" value={draft} onChange={(e) => setDraft(e.target.value)} rows={3} style={{ width: "100%" }} />
      <button type="submit" disabled={busy}>
        Send
      </button>
    </form>
  );
}
