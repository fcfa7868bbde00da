import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileHandlerAccounts } from '../../src/console/auth/handler-accounts.js';
import { MemorySessionStore } from '../../src/console/auth/session-store.js';
import { type Logger, silentLogger } from '../../src/core/logger.js';
import { ClaimSweeper, whyGoneFromAccounts } from '../../src/handoff/claim-sweeper.js';
import { createHandoffDesk } from '../../src/handoff/handoff-desk.js';
import type { HandlerPayload, HandoffQueue } from '../../src/handoff/handoff-model.js';
import { MemoryAuditLog } from '../../src/storage/memory/audit-log.js';
import { MemoryConsoleEvents } from '../../src/storage/memory/console-events.js';
import { MemoryHandoffQueue } from '../../src/storage/memory/handoff-queue.js';
import { MemoryTranscriptStore } from '../../src/storage/memory/transcript-store.js';
import { newTicket } from '../support/handoff-backends.js';

const MINUTE = 60_000;
const IDLE = 15 * MINUTE;
const PASSWORD = 'correct horse battery staple';
const HASHING = { memoryCost: 8192, timeCost: 1, parallelism: 1 };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'claim-sweeper-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Real accounts, sessions and desk over memory stores, with a clock the test moves. */
async function setUp(name: string) {
  const clock = { now: Date.now() };
  const accounts = new FileHandlerAccounts({ path: join(dir, `${name}.json`), hashing: HASHING, now: () => clock.now });
  for (const handler of ['alice', 'bob', 'carol', 'dan']) await accounts.add(handler, PASSWORD);
  // Sessions last longer than claims may stay idle here, so each case below is about one thing.
  const sessions = new MemorySessionStore({ idleMs: 60 * MINUTE, revokedAt: (u) => accounts.revokedAt(u) });
  const queue = new MemoryHandoffQueue();
  const audit = new MemoryAuditLog();
  const delivered: { key: string; payload: HandlerPayload }[] = [];
  const desk = createHandoffDesk({
    queue,
    transcripts: new MemoryTranscriptStore({ ttlMs: 3600_000 }),
    audit,
    events: new MemoryConsoleEvents(),
    deliver: async (key, payload) => {
      delivered.push({ key, payload });
    },
    savedReplies: () => [],
  });
  let asked = 0;
  const sweeper = new ClaimSweeper({
    queue,
    desk,
    liveHandlers: (now) => {
      asked++;
      return sessions.liveHandlers(now);
    },
    whyGone: whyGoneFromAccounts(accounts),
    idleMs: IDLE,
    logger: silentLogger,
    now: () => clock.now,
  });
  /** A person queued and claimed by `handler`, signed in now. */
  const claimedBy = async (handler: string, chat: number) => {
    const session = await sessions.create(handler, clock.now);
    const ticket = await queue.enqueue(newTicket({ conversationKey: `telegram:${chat}` }), clock.now);
    expect(await desk.claim(ticket.id, handler, clock.now)).toBe('ok');
    return { ticket, session };
  };
  return { clock, accounts, sessions, queue, audit, delivered, desk, sweeper, claimedBy, asked: () => asked };
}

describe('ClaimSweeper', () => {
  it('leaves claims alone while their holders are signed in and replying, and skips the session check when nothing is claimed', async () => {
    const s = await setUp('quiet');
    expect(await s.sweeper.sweep()).toBe(0);
    expect(s.asked()).toBe(0);
    const { ticket } = await s.claimedBy('alice', 1);
    s.clock.now += 10 * MINUTE;
    expect(await s.desk.reply(ticket.id, 'alice', 'Still with you', s.clock.now)).toBe('ok');
    s.clock.now += 10 * MINUTE;
    expect(await s.sweeper.sweep()).toBe(0);
    expect((await s.queue.get(ticket.id))?.claimedBy).toBe('alice');
  });

  it('puts back the claims of a handler who was removed, had their password reset, or whose session timed out, saying which', async () => {
    const s = await setUp('gone');
    const removed = await s.claimedBy('alice', 1);
    const reset = await s.claimedBy('bob', 2);
    const timedOut = await s.claimedBy('carol', 3);
    const stays = await s.claimedBy('dan', 4);
    s.clock.now += MINUTE;
    await s.accounts.remove('alice');
    await s.accounts.resetPassword('bob', 'a brand new passphrase');
    await s.sessions.destroy(timedOut.session.id);
    expect(await s.sweeper.sweep()).toBe(3);
    for (const { ticket } of [removed, reset, timedOut]) expect((await s.queue.get(ticket.id))?.status).toBe('queued');
    expect((await s.queue.get(stays.ticket.id))?.claimedBy).toBe('dan');
    const released = (await s.audit.list()).filter((e) => e.action === 'released').map((e) => [e.handler, e.reason]);
    expect(released.sort()).toEqual([
      ['alice', 'removed'],
      ['bob', 'password-reset'],
      ['carol', 'session-timed-out'],
    ]);
    expect(s.delivered.filter((d) => d.payload.action === 'released').map((d) => d.key).sort()).toEqual(['telegram:1', 'telegram:2', 'telegram:3']);
    expect(await s.sweeper.sweep()).toBe(0);
  });

  it('lets a claim lapse after the idle time without a reply from its holder, even while they are signed in', async () => {
    const s = await setUp('idle');
    const { ticket, session } = await s.claimedBy('alice', 1);
    s.clock.now += IDLE - 1;
    await s.sessions.get(session.id, s.clock.now);
    expect(await s.sweeper.sweep()).toBe(0);
    s.clock.now += 1;
    expect(await s.sweeper.sweep()).toBe(1);
    expect(await s.queue.get(ticket.id)).toMatchObject({ status: 'queued', requeuedAt: s.clock.now });
    expect((await s.audit.list())[0]).toMatchObject({ action: 'released', handler: 'alice', reason: 'idle', ticketId: ticket.id });
    expect(s.delivered.at(-1)?.payload).toEqual({ type: 'handler', action: 'released' });
  });

  it('logs a failed sweep (without details of anyone) and answers 0, so the timer carries on', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (_fields: object, message?: string) => void warnings.push(message ?? '') };
    const away = { list: async () => Promise.reject(new Error('Redis is away')) } as unknown as HandoffQueue;
    const sweeper = new ClaimSweeper({ queue: away, desk: { release: async () => true }, liveHandlers: async () => new Set(), idleMs: IDLE, logger });
    expect(await sweeper.sweep()).toBe(0);
    expect(warnings).toEqual(['claim sweep failed']);
  });
});
