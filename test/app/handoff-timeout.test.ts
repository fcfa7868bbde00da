import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/handoff/handoff-model.js';
import { captureLog, type CapturedLog } from '../support/captured-log.js';
import { TestRedis } from '../support/redis-server.js';
import { localePeople } from '../support/locale-people.js';
import { startTelegramApp, type TelegramApp } from '../support/telegram-app.js';

/**
 * The queue time-out through the whole app, as a person on Telegram meets it:
 * the real webhook, engine, queue, inbox and locale files, with memory state
 * and with Redis. Only the clock of the time-out sweep is moved on.
 */

const MINUTE = 60_000;
const STORES = ['memory', 'redis'] as const;

/** What a person in crisis writes in each language, and how they say their age and ask for a person. */
const PEOPLE = Object.fromEntries(localePeople());

describe.each(STORES)('the queue time-out in the app (%s state)', (store) => {
  let redis: TestRedis | undefined;
  let started: TelegramApp;
  let log: CapturedLog;
  let chat = store === 'memory' ? 7_610_000 : 7_620_000;

  beforeAll(async () => {
    log = captureLog('info');
    const env: Record<string, string> = { HANDOFF_TIMEOUT_MINUTES: '10', HANDOFF_URGENT_TIMEOUT_MINUTES: '30' };
    if (store === 'redis') {
      redis = await TestRedis.start();
      Object.assign(env, { REDIS_URL: redis.url, REDIS_PREFIX: `timeout${process.pid}` });
    }
    started = await startTelegramApp({ handlers: [], env, logger: log.logger });
    // A handler is signed in, so the desk is open and people are queued.
    await started.app.handoff.sessions.create('alex.handler', Date.now());
  }, 60_000);

  afterAll(async () => {
    await started?.close();
    await redis?.stop();
  });

  const said = (key: string, locale: string) => started.app.core.renderer.text(key, locale);

  /** A new person who wrote `messages` and is now waiting in the queue. */
  async function queuedPerson(messages: readonly string[], queuedText: string) {
    const person = started.person(++chat, { timeoutMs: 20_000 });
    for (const message of messages) {
      const before = person.received().length;
      await person.say(message);
      await person.receivedText('', before);
    }
    await person.receivedText(queuedText);
    const ticket = await started.app.handoff.queue.byConversation(`telegram:${chat}`);
    expect(ticket?.status).toBe('queued');
    return { person, ticket: ticket! };
  }

  it.each(Object.keys(PEOPLE))(
    'gives a young person in crisis (%s) 999, Samaritans and Childline before 101 and the form when nobody came',
    async (locale) => {
      const words = PEOPLE[locale]!;
      const { person, ticket } = await queuedPerson([words.language, words.age, words.crisis], said('handoff.queuedAfterRisk', locale));
      expect(ticket.priority).toBe(0);
      const mark = person.received().length;

      // Still waiting at 10 minutes: urgent tickets wait for the longer time-out.
      expect(await started.app.handoff.sweepQueue(ticket.queuedAt + 10 * MINUTE)).toBe(0);
      const left = (await started.app.desk.queue(ticket.queuedAt + 10 * MINUTE)).find((t) => t.id === ticket.id);
      expect(left?.timesOutInSeconds).toBe(20 * 60);

      expect(await started.app.handoff.sweepQueue(ticket.queuedAt + 30 * MINUTE)).toBe(1);
      await person.receivedText(said('handoff.timeout', locale).slice(0, 40), mark);
      const texts = person.received().slice(mark).map((m) => m.text);
      expect(texts).toEqual([said('risk.contacts.young', locale), said('handoff.timeout', locale)]);
      const all = texts.join('\n');
      const at = (s: string) => all.indexOf(s);
      for (const contact of ['999', '116 123', '0800 1111']) {
        expect(at(contact), contact).toBeGreaterThanOrEqual(0);
        expect(at(contact), contact).toBeLessThan(at('101'));
        expect(at(contact), contact).toBeLessThan(at('https://www.staffordshire.police.uk/'));
      }
      expect(await started.app.handoff.queue.get(ticket.id)).toBeUndefined();
      expect(await started.app.handoff.audit.list(20)).toContainEqual(
        expect.objectContaining({ handler: SYSTEM_ACTOR, action: 'timed-out', ticketId: ticket.id }),
      );
    },
  );

  it('tells someone with no risk flag after the normal time-out, without the crisis contacts, and logs it without any words', async () => {
    const { person, ticket } = await queuedPerson(['hello', PEOPLE['en-GB']!.human], said('handoff.queued', 'en-GB').slice(0, 40));
    const mark = person.received().length;
    expect(await started.app.handoff.sweepQueue(ticket.queuedAt + 10 * MINUTE)).toBe(1);
    await person.receivedText('no call handler could pick up', mark);
    expect(person.received().slice(mark).map((m) => m.text)).toEqual([said('handoff.timeout', 'en-GB')]);

    const line = log.entries().find((e) => e.event === 'handoff.timed-out' && e.ticket === ticket.id);
    expect(line).toMatchObject({ level: 'warn', urgent: false, reason: 'requested', waitedSeconds: 600 });
    expect(typeof line?.conversation).toBe('string');
    const everything = log.raw.join('\n');
    expect(everything).not.toContain(String(chat));
    expect(everything).not.toContain('real person');
    expect(everything).not.toContain('kill myself');
    // The three people in crisis before, each an error an operator can alert on.
    const urgent = log.entries().filter((e) => e.event === 'handoff.timed-out' && e.urgent === true);
    expect(urgent.map((e) => e.level)).toEqual(['error', 'error', 'error']);
  });
});
