/** The Python SDK tutorial's tree: each wrapper span and its parent (undefined for the root). */
export const TUTORIAL_PARENTS: Record<string, string | undefined> = {
  "joke_and_audience_reaction.workflow": undefined,
  "pirate_joke_generator.workflow": "joke_and_audience_reaction.workflow",
  "joke_creation.task": "pirate_joke_generator.workflow",
  "store_joke.task": "joke_creation.task",
  "pirate_joke_translation.task": "pirate_joke_generator.workflow",
  "signature_generation.task": "pirate_joke_generator.workflow",
  "audience_reaction.workflow": "joke_and_audience_reaction.workflow",
  "audience_laughs.task": "audience_reaction.workflow",
  "audience_applaud.task": "audience_reaction.workflow",
  "audience_claps.task": "audience_applaud.task",
  "audience_interaction.workflow": "joke_and_audience_reaction.workflow",
  "ask_for_comments.task": "audience_interaction.workflow",
  "read_joke_comments.task": "audience_interaction.workflow",
  "logging_joke.task": "joke_and_audience_reaction.workflow",
};
