import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/create-app.js';
import { type Agent, getAs, postAs, signInOverHttp } from '../support/console-agent.js';
import { HANDLER_PASSWORD, startTelegramApp, type TelegramApp } from '../support/telegram-app.js';

describe('the handoff side of the app: claims that cannot get stuck', () => {
  let started: TelegramApp;
  let app: App;
  let base: string;
  let chat = 7_400_000;

  beforeAll(async () => {
    started = await startTelegramApp({ handlers: ['alice', 'bob'] });
    ({ app, base } = started);
  });

  afterAll(async () => {
    await started?.close();
  });

  const en = (key: string) => app.core.renderer.text(key, 'en-GB');

  /** A new person on Telegram who asked for a call handler, and `handler` claiming them through the console API. */
  async function claimedPerson(handler: Agent) {
    const person = started.person(++chat);
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
    const alice = await signInOverHttp(base, 'alice', HANDLER_PASSWORD);
    const { person, ticketId } = await claimedPerson(alice);
    await signOut(alice);
    expect(await app.handoff.queue.get(ticketId)).toMatchObject({ status: 'queued' });
    expect(await app.handoff.audit.list(5)).toContainEqual(expect.objectContaining({ action: 'released', handler: 'alice', reason: 'signed-out', ticketId }));
    await person.receivedText(en('handoff.handlerLeft'));
    // Another handler sees them waiting and can pick them up.
    const bob = await signInOverHttp(base, 'bob', HANDLER_PASSWORD);
    const queue = (await (await getAs(base, '/console/api/queue', bob)).json()) as { id: string; status: string }[];
    expect(queue.find((t) => t.id === ticketId)?.status).toBe('queued');
    expect((await postAs(base, `/console/api/tickets/${ticketId}/claim`, bob)).status).toBe(200);
    await signOut(bob);
  });

  it('keeps the conversation with a handler who signs out of one browser but is still signed in on another', async () => {
    const desk = await signInOverHttp(base, 'alice', HANDLER_PASSWORD);
    const laptop = await signInOverHttp(base, 'alice', HANDLER_PASSWORD);
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
