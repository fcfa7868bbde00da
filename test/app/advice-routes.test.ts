import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SITUATIONS } from '../../flows/situations.js';
import type { TurnResult } from '../../src/engine/conversation-engine.js';
import { SimulatedClearing } from '../../src/channels/terminal/clearer.js';
import { MemoryMessageIds } from '../../src/storage/memory/message-ids.js';
import { createHarness, texts } from '../support/bot-harness.js';

interface Turn {
  readonly say?: string;
  readonly press?: string;
  /** Press Next until the reply has this key's text. */
  readonly until?: string;
  readonly expect?: readonly string[];
}
interface RouteCase {
  readonly lang: string;
  readonly route: string;
  readonly forbid?: readonly string[];
  readonly turns: readonly Turn[];
}
interface AnswerCase {
  readonly lang: string;
  readonly say: string;
  readonly expect: string;
}

const cases = JSON.parse(readFileSync(new URL('../fixtures/conversations/advice-routes.json', import.meta.url), 'utf8')) as {
  routes: RouteCase[];
  answers: AnswerCase[];
};

/** How many times Next is pressed at most while waiting for a step. */
const MAX_STEPS = 10;

describe('the advice routes, typed as people write, in every language', () => {
  let h: Awaited<ReturnType<typeof createHarness>>;
  let user = 0;

  beforeAll(async () => {
    // As on Telegram, the bot can clear both sides of the chat (simulated: nothing is deleted anywhere).
    h = await createHarness({ clearing: { ids: new MemoryMessageIds(), clearer: new SimulatedClearing(() => undefined) } });
  });

  const text = (key: string, lang: string) => h.core.renderer.text(key, lang);
  const has = (result: TurnResult, key: string, lang: string) => texts(result).includes(text(key, lang));

  it.each(cases.routes.map((c) => [c.lang, c.route, c] as const))('%s: %s', async (lang, _route, c) => {
    const id = `route-${user++}`;
    const seen: string[] = [];
    for (const turn of c.turns) {
      let result: TurnResult;
      if (turn.until !== undefined) {
        let steps = 0;
        do {
          result = await h.press(id, 'next');
          seen.push(...texts(result));
        } while (!has(result, turn.until, lang) && ++steps < MAX_STEPS);
        expect(texts(result), `never reached ${turn.until}`).toContain(text(turn.until, lang));
      } else {
        result = turn.say !== undefined ? await h.say(id, turn.say, lang) : await h.press(id, turn.press!);
        seen.push(...texts(result));
        for (const key of turn.expect ?? []) expect(texts(result), `${turn.say ?? turn.press} → ${key}`).toContain(text(key, lang));
      }
      for (const key of c.forbid ?? []) expect(seen, `said ${key}`).not.toContain(text(key, lang));
    }
  });

  it.each(cases.answers.map((c) => [c.lang, c.say, c] as const))('%s: "%s" is answered at the first step', async (lang, _say, c) => {
    const id = `answer-${user++}`;
    await h.say(id, c.say === 'hi' ? 'hello' : 'hi', lang);
    const result = await h.say(id, c.say, lang);
    // Answered, even where a reading of risk puts the crisis reply first (false alarms are preferred to misses).
    expect(texts(result)).toContain(text(c.expect, lang));
  });

  it.each([...new Set(cases.routes.map((c) => c.lang))])('%s: every situation can be picked from the menu, with its label in the language', async (lang) => {
    for (const situation of SITUATIONS) {
      const id = `menu-${user++}`;
      await h.say(id, 'hi', lang);
      await h.press(id, 'safe');
      const menu = await h.press(id, 'situations');
      expect(texts(menu)).toEqual([text('menu.situations', lang)]);
      expect(menu.messages[0]?.choices.map((c) => c.label)).toContain(text(`choice.sit.${situation.id}`, lang));
      const advice = await h.press(id, `sit:${situation.id}`);
      expect(advice.messages.length, situation.id).toBeGreaterThan(0);
      expect(texts(advice).join('\n')).not.toContain(text('unknown.notSure', lang));
    }
  });
});
