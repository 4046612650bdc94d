/** GET /: a minimal chat page that reads the streamed answer as it arrives. */
export const chatPage = `<!doctype html>
<meta charset="utf-8">
<title>respan-tracing on Cloudflare Workers</title>
<style>body{font:16px system-ui;max-width:40rem;margin:3rem auto}#answer{white-space:pre-wrap;margin-top:1rem}</style>
<h1>Ask the LLM</h1>
<form id="ask"><input name="message" size="50" value="What does a trace show?" autofocus> <button>Ask</button></form>
<div id="answer"></div>
<script type="module">
const answer = document.getElementById("answer");
document.getElementById("ask").addEventListener("submit", async (event) => {
  event.preventDefault();
  answer.textContent = "";
  const message = new FormData(event.target).get("message");
  const response = await fetch("/api/chat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message }) });
  if (!response.ok) return (answer.textContent = (await response.json()).error);
  // Server-sent events: "data: {\"text\":…}" blocks separated by blank lines, then "data: [DONE]".
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const events = (pending + value).split("\\n\\n");
    pending = events.pop();
    for (const event of events) {
      const data = event.replace(/^data: /, "");
      if (data !== "[DONE]") answer.textContent += JSON.parse(data).text;
    }
  }
});
</script>
`;
