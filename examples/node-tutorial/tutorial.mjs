/**
 * The respan-tracing tutorial, ported from the Python SDK's: a pirate joke generator and its
 * audience. Each step is a workflow or a task, so the trace shows the program's structure:
 *
 *   joke_and_audience_reaction.workflow
 *   ├─ pirate_joke_generator.workflow
 *   │  ├─ joke_creation.task            (OpenAI chat)
 *   │  │  └─ store_joke.task
 *   │  ├─ pirate_joke_translation.task  (OpenAI chat)
 *   │  └─ signature_generation.task     (OpenAI chat + embeddings)
 *   ├─ audience_reaction.workflow
 *   │  ├─ audience_laughs.task          (Anthropic messages)
 *   │  └─ audience_applaud.task         (OpenAI chat)
 *   │     └─ audience_claps.task
 *   ├─ audience_interaction.workflow
 *   │  ├─ ask_for_comments.task         (OpenAI responses)
 *   │  └─ read_joke_comments.task       (Anthropic messages, streamed)
 *   └─ logging_joke.task
 *
 * `task()` and `workflow()` wrap a function the way `@task` and `@workflow` decorate one in Python.
 * The LLM clients are captured by closure, not passed as arguments: a wrapped function records
 * its arguments as the span's input.
 */
import { getClient, task, workflow } from "respan-tracing";

export const OPENAI_MODEL = "gpt-4o-mini";
export const EMBEDDING_MODEL = "text-embedding-3-small";
export const ANTHROPIC_MODEL = "claude-haiku-4-5";

/**
 * Runs the tutorial with the given (already constructed) clients.
 * @param {{ openai: import("openai").OpenAI, anthropic: import("@anthropic-ai/sdk").Anthropic }} clients
 * @returns {Promise<string>} the final joke: the pirate joke and its signature
 */
export async function runTutorial({ openai, anthropic } = {}) {
  if (!openai || !anthropic) throw new TypeError("runTutorial({ openai, anthropic }): pass both clients");

  async function chat(prompt) {
    const completion = await openai.chat.completions.create({
      model: OPENAI_MODEL,
      messages: [{ role: "user", content: prompt }],
      temperature: 0.5,
      max_tokens: 100,
    });
    return completion.choices[0].message.content ?? "";
  }

  async function claude(prompt) {
    const message = await anthropic.messages.create({
      model: ANTHROPIC_MODEL,
      max_tokens: 200,
      messages: [{ role: "user", content: prompt }],
    });
    return message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
  }

  // --- pirate_joke_generator -----------------------------------------------------------------

  const jokeStore = [];

  const storeJoke = task({ name: "store_joke" }, function storeJoke(joke) {
    jokeStore.push(joke);
    return { stored: true, jokes_in_store: jokeStore.length };
  });

  const createJoke = task({ name: "joke_creation" }, async function createJoke() {
    const joke = await chat("Tell me a joke about opentelemetry");
    storeJoke(joke); // a child span of joke_creation
    return joke;
  });

  const translateJokeToPirate = task({ name: "pirate_joke_translation" }, function translateJokeToPirate(joke) {
    return chat(`Translate the below joke to pirate-like english:\n\n${joke}`);
  });

  const generateSignature = task({ name: "signature_generation" }, async function generateSignature(joke) {
    const signature = await chat(`Add a signature to the joke:\n\n${joke}`);
    // An embedding of the joke, e.g. to find similar jokes later.
    const embedding = await openai.embeddings.create({ model: EMBEDDING_MODEL, input: joke });
    getClient().updateCurrentSpan({ attributes: { "tutorial.embedding_dimensions": embedding.data[0].embedding.length } });
    return signature;
  });

  const jokeWorkflow = workflow({ name: "pirate_joke_generator" }, async function jokeWorkflow() {
    const englishJoke = await createJoke();
    const pirateJoke = await translateJokeToPirate(englishJoke);
    const signature = await generateSignature(pirateJoke);
    return { pirateJoke, signature };
  });

  // --- audience_reaction ---------------------------------------------------------------------

  const audienceLaughs = task({ name: "audience_laughs" }, function audienceLaughs(joke) {
    return claude(`This joke:\n\n${joke}\n\nis funny, say hahahahaha`);
  });

  const audienceClaps = task({ name: "audience_claps" }, function audienceClaps() {
    return "clap clap clap";
  });

  const audienceApplaud = task({ name: "audience_applaud" }, async function audienceApplaud(joke) {
    const claps = audienceClaps(); // a child span of audience_applaud
    const cheer = await chat(`Applaud to the joke, clapping "${claps}":\n\n${joke}`);
    return cheer;
  });

  const audienceReaction = workflow({ name: "audience_reaction" }, async function audienceReaction(joke) {
    const laughter = await audienceLaughs(joke);
    const applause = await audienceApplaud(joke);
    return { laughter, applause };
  });

  // --- audience_interaction ------------------------------------------------------------------

  const askForComments = task({ name: "ask_for_comments" }, async function askForComments(joke) {
    const response = await openai.responses.create({
      model: OPENAI_MODEL,
      input: `Ask the audience for comments on this joke:\n\n${joke}`,
    });
    return response.output_text;
  });

  const readJokeComments = task({ name: "read_joke_comments" }, async function readJokeComments(question) {
    // Streamed: the task's span stays open until the stream has been read to its end.
    const stream = anthropic.messages.stream({
      model: ANTHROPIC_MODEL,
      max_tokens: 200,
      messages: [{ role: "user", content: `Read out the audience's comments on the question:\n\n${question}` }],
    });
    let comments = "";
    for await (const event of stream) {
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") comments += event.delta.text;
    }
    const final = await stream.finalMessage();
    getClient().updateCurrentSpan({ attributes: { "tutorial.comment_tokens": final.usage.output_tokens } });
    return comments;
  });

  const audienceInteraction = workflow({ name: "audience_interaction" }, async function audienceInteraction(joke) {
    const question = await askForComments(joke);
    const comments = await readJokeComments(question);
    return { question, comments };
  });

  // --- logging_joke and the root workflow ----------------------------------------------------

  const jokeLog = [];

  const loggingJoke = task({ name: "logging_joke" }, function loggingJoke(joke, reactions) {
    jokeLog.push({ joke, reactions });
    getClient().updateCurrentSpan({ respanParams: { metadata: { joke_length: joke.length, jokes_logged: jokeLog.length } } });
    return `logged joke #${jokeLog.length}`;
  });

  const jokeAndAudienceReaction = workflow({ name: "joke_and_audience_reaction" }, async function jokeAndAudienceReaction() {
    const { pirateJoke, signature } = await jokeWorkflow();
    const reaction = await audienceReaction(pirateJoke);
    const interaction = await audienceInteraction(pirateJoke);
    const finalJoke = `${pirateJoke}\n\n${signature}`;
    loggingJoke(finalJoke, { ...reaction, ...interaction });
    return finalJoke;
  });

  return jokeAndAudienceReaction();
}
