import { createBotCore, type BotCore, type BotCoreOptions } from '../../src/app/bot-core.js';
import type { InboundPayload } from '../../src/core/inbound-event.js';
import type { ConversationStore, StoredConversation } from '../../src/core/store.js';
import type { TurnResult } from '../../src/engine/conversation-engine.js';
import { MemoryConversationStore } from '../../src/storage/memory/conversation-store.js';

/** A real memory store that counts reads and writes, to hold the engine to one of each per message. */
export class CountingStore implements ConversationStore {
  reads = 0;
  writes = 0;
  deletes = 0;
  readonly inner = new MemoryConversationStore();
  async read(key: string) {
    this.reads++;
    return this.inner.read(key);
  }
  async write(key: string, value: StoredConversation) {
    this.writes++;
    return this.inner.write(key, value);
  }
  async delete(key: string) {
    this.deletes++;
    return this.inner.delete(key);
  }
}

/** The real bot core with a counting store and a clock the test controls. */
export async function createHarness(options: BotCoreOptions = {}) {
  const store = new CountingStore();
  const clock = { now: 1_700_000_000_000 };
  const core: BotCore = await createBotCore({ store, now: () => clock.now, ...options });
  /** Sends one payload from a console user and returns the turn's result. */
  const turn = (user: string, payload: InboundPayload, localeHint?: string): Promise<TurnResult> =>
    core.engine.handle({ key: { channel: 'terminal', id: user }, payload, ...(localeHint && { localeHint }) });
  const say = (user: string, text: string, hint?: string) => turn(user, { type: 'text', text }, hint);
  const press = (user: string, choiceId: string) => turn(user, { type: 'choice', choiceId });
  /** The English text of a locale key, as the person would see it. */
  const en = (key: string) => core.renderer.text(key, 'en-GB');
  return { core, store, clock, turn, say, press, en };
}

/** The texts of a turn's messages. */
export const texts = (result: TurnResult): string[] => result.messages.map((m) => m.text);

/** The ids of the buttons offered in a turn. */
export const choiceIds = (result: TurnResult): string[] => result.messages.flatMap((m) => m.choices.map((c) => c.id));

/**
 * The questions the Redis tests send many times over, with what the bot
 * answers to each in a fresh conversation that opened with "hi" (the first
 * message of each answer, before the short line back to the step): worked
 * out by the real engine in memory, so the Redis tests compare the same
 * conversation run across processes with the one run in one place.
 */
export const TOPIC_QUESTIONS = ['how do i save evidence', 'is this a crime', 'should i pay', 'how do i block him', 'who can i call'];

export async function topicAnswers(questions: readonly string[] = TOPIC_QUESTIONS): Promise<Record<string, string>> {
  const h = await createHarness();
  const answers: Record<string, string> = {};
  for (const question of questions) {
    await h.say(question, 'hi');
    answers[question] = texts(await h.say(question, question))[0]!;
  }
  return answers;
}

/** What the bot says to a first message, in memory. */
export async function firstReplies(text: string): Promise<string[]> {
  return texts(await (await createHarness()).say('first', text));
}
