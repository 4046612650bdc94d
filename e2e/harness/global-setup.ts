import { prepareConsumer } from "./consumer.js";

/** vitest globalSetup of the e2e project: build the consumer project once for all runtimes. */
export default async function setup(): Promise<void> {
  await prepareConsumer();
}
