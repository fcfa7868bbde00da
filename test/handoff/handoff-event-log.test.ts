import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversationHasher } from '../../src/logging/conversation-hash.js';
import { captureLog, type CapturedLog } from '../support/captured-log.js';
import { postAs, signInOverHttp } from '../support/console-agent.js';
import { HANDLER_PASSWORD, startTelegramApp, type TelegramApp } from '../support/telegram-app.js';

/**
 * What an operator on call reads in the logs about the handoff queue: one
 * line per event, with the ticket and the keyed hash of the conversation,
 * never what anyone wrote, the person's platform id or the handler's name;
 * health and metrics probes are not at info; every line has the same shape.
 */

const HASH_SECRET = 'handoff-event-log-test-secret';
const hash = createConversationHasher(HASH_SECRET);
const hashOf = (chat: number) => hash({ channel: 'telegram', id: String(chat) });

describe('handoff events in the log, from the running app', () => {
  let log: CapturedLog;
  let started: TelegramApp;

  beforeAll(async () => {
    log = captureLog('info');
    started = await startTelegramApp({ handlers: ['sam.jones'], env: { LOG_HASH_SECRET: HASH_SECRET }, logger: log.logger });
  });
  afterAll(async () => {
    await started?.close();
  });

  const handoffLines = () => log.entries().filter((line) => String(line.event).startsWith('handoff.'));

  it('logs queued, claimed, transferred, ended and abandoned with the hashed conversation and nothing anyone wrote', async () => {
    const { app, base } = started;
    const handler = await signInOverHttp(base, 'sam.jones', HANDLER_PASSWORD);
    const first = started.person(9_100_001);
    await first.say('I want to speak to a person about my nudes');
    await first.receivedText('A call handler will be with you shortly');
    const ticket = (await app.handoff.queue.byConversation('telegram:9100001'))!;
    for (const action of ['claim', 'transfer', 'claim', 'end']) {
      expect((await postAs(base, `/console/api/tickets/${ticket.id}/${action}`, handler)).status, action).toBe(200);
    }
    await postAs(base, `/console/api/tickets/${ticket.id}/reply`, handler, { text: 'secret words from the handler' });

    const second = started.person(9_100_002);
    await second.say('can i talk to a real person');
    await second.receivedText('A call handler will be with you shortly');
    const left = (await app.handoff.queue.byConversation('telegram:9100002'))!;
    await second.say('cancel');
    await second.receivedText('');
    await expect.poll(() => handoffLines().length).toBe(7);

    const lines = handoffLines();
    expect(lines.map((line) => line.event)).toEqual([
      'handoff.queued',
      'handoff.claimed',
      'handoff.transferred',
      'handoff.claimed',
      'handoff.ended',
      'handoff.queued',
      'handoff.abandoned',
    ]);
    expect(lines.slice(0, 5).every((line) => line.ticket === ticket.id && line.conversation === hashOf(9_100_001))).toBe(true);
    expect(lines.slice(5).every((line) => line.ticket === left.id && line.conversation === hashOf(9_100_002))).toBe(true);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'handoff queued', channel: 'telegram', reason: 'requested', priority: 2 });
    expect(lines[1]).toMatchObject({ msg: 'handoff claimed', waitedSeconds: expect.any(Number) });
    expect(lines[4]).toMatchObject({ msg: 'handoff ended', by: 'handler', openSeconds: expect.any(Number) });
    expect(lines[6]).toMatchObject({ msg: 'handoff abandoned', waitedSeconds: expect.any(Number) });

    const everything = log.raw.join('\n');
    for (const secret of ['nudes', 'real person', 'secret words', 'sam.jones', '9100001', '9100002']) expect(everything, secret).not.toContain(secret);
  });

  it('logs health, readiness and metrics requests below info, and other requests at info', async () => {
    const before = log.raw.length;
    for (const path of ['/healthz', '/readyz', '/metrics', '/console/login']) await (await fetch(`${started.base}${path}`)).arrayBuffer();
    const routes = log
      .entries()
      .slice(before)
      .filter((line) => line.event === 'request')
      .map((line) => line.route);
    expect(routes).toEqual(['/console/login']);
  });

  it('gives every line the same shape: level, time, service and a message', () => {
    const lines = log.entries();
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      expect(line, JSON.stringify(line)).toMatchObject({ level: expect.any(String), time: expect.any(String), service: 'sextortion-support-bot', msg: expect.stringMatching(/\S/) });
    }
  });
});
