import { Chat } from "./chat";

export default function Page() {
  return (
    <main>
      <h1>Chat, traced</h1>
      <p>Each message is one trace: this page&apos;s click → the route → the LLM call.</p>
      <Chat />
    </main>
  );
}
