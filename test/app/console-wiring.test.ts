import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/create-app.js';
import { readConfig } from '../../src/config/environment.js';
import { FileHandlerAccounts } from '../../src/console/auth/handler-accounts.js';
import { silentLogger } from '../../src/core/logger.js';
import { type Agent, getAs, postAs, signInOverHttp } from '../support/console-agent.js';
import { FakeTelegramApi } from '../support/fake-telegram-api.js';
import { telegramPerson } from '../support/telegram-person.js';

const PASSWORD = 'correct horse battery staple';
const HASHING = { memoryCost: 8192, timeCost: 1, parallelism: 1 };
const SECRET = 'console-wiring-secret';

describe('the handoff side of the app: claims that cannot get stuck', () => {
  let dir: string;
  let telegram: FakeTelegramApi;
  let app: App;
  let base: string;
  let chat = 7_400_000;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'console-wiring-'));
    const handlersFile = join(dir, 'handlers.json');
    const accounts = new FileHandlerAccounts({ path: handlersFile, hashing: HASHING });
    for (const name of ['alice', 'bob']) await accounts.add(name, PASSWORD);
    telegram = await new FakeTelegramApi().start();
    const config = readConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: telegram.url,
      HANDOFF_HOURS: 'always',
      HANDLERS_FILE: handlersFile,
    });
    app = await createApp(config, { logger: silentLogger });
    base = await app.listen();
  });

  afterAll(async () => {
    await app?.close();
    await telegram?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const en = (key: string) => app.core.renderer.text(key, 'en-GB');

  /** A new person on Telegram who asked for a call handler, and `handler` claiming them through the console API. */
  async function claimedPerson(handler: Agent) {
    const person = telegramPerson({ base, secret: SECRET, telegram, chat: ++chat });
    await person.say('hi');
    await person.receivedText('');
    await person.say('I want to speak to a person');
    await person.receivedText('A call handler will be with you shortly');
    const ticket = (await app.handoff.queue.byConversation(`telegram:${chat}`))!;
    expect((await postAs(base, `/console/api/tickets/${ticket.id}/claim`, handler)).status).toBe(200);
    await person.receivedText('has joined the chat');
    return { person, ticketId: ticket.id };
  }

  const signOut = async (agent: Agent) => expect((await postAs(base, '/console/logout', agent)).status).toBe(303);

  it('puts a handler’s conversations back in the queue the moment they sign out, audited, and tells the person', async () => {
    const alice = await signInOverHttp(base, 'alice', PASSWORD);
    const { person, ticketId } = await claimedPerson(alice);
    await signOut(alice);
    expect(await app.handoff.queue.get(ticketId)).toMatchObject({ status: 'queued' });
    expect(await app.handoff.audit.list(5)).toContainEqual(expect.objectContaining({ action: 'released', handler: 'alice', reason: 'signed-out', ticketId }));
    await person.receivedText(en('handoff.handlerLeft'));
    // Another handler sees them waiting and can pick them up.
    const bob = await signInOverHttp(base, 'bob', PASSWORD);
    const queue = (await (await getAs(base, '/console/api/queue', bob)).json()) as { id: string; status: string }[];
    expect(queue.find((t) => t.id === ticketId)?.status).toBe('queued');
    expect((await postAs(base, `/console/api/tickets/${ticketId}/claim`, bob)).status).toBe(200);
    await signOut(bob);
  });

  it('keeps the conversation with a handler who signs out of one browser but is still signed in on another', async () => {
    const desk = await signInOverHttp(base, 'alice', PASSWORD);
    const laptop = await signInOverHttp(base, 'alice', PASSWORD);
    const { person, ticketId } = await claimedPerson(desk);
    const before = person.received().length;
    await signOut(laptop);
    expect(await app.handoff.queue.get(ticketId)).toMatchObject({ status: 'claimed', claimedBy: 'alice' });
    expect(person.received()).toHaveLength(before);
    await signOut(desk);
    expect(await app.handoff.queue.get(ticketId)).toMatchObject({ status: 'queued' });
    await person.receivedText(en('handoff.handlerLeft'), before);
  });
});
