import { describe, expect, it } from 'vitest';
import { createHandoffDesk, InvalidReplyError, MAX_REPLY_LENGTH } from '../../src/handoff/handoff-desk.js';
import type {
  ConsoleEvent,
  HandlerPayload,
  HandoffDesk,
  SavedReply,
} from '../../src/handoff/handoff-model.js';
import { CLOSED_KEEP_MS, newTicket, redisStores, sleep, storeBackends, type Stores, until, useTestRedis } from '../support/handoff-backends.js';

const redis = useTestRedis();
const KEY = 'telegram:424242';

const backends = storeBackends(redis);

const SAVED: Record<string, SavedReply[]> = {
  'en-GB': [{ id: 'dont-pay', label: 'Do not pay', text: 'Please do not pay. Paying rarely makes it stop.' }],
  cy: [{ id: 'dont-pay', label: 'Peidiwch â thalu', text: 'Peidiwch â thalu.' }],
};

/** A desk on the given stores, recording what it delivers and what the consoles hear. */
async function deskOn(make: () => Promise<Stores>) {
  const stores = await make();
  const delivered: { key: string; payload: HandlerPayload }[] = [];
  const heard: ConsoleEvent[] = [];
  stores.events.subscribe((e) => heard.push(e));
  const desk: HandoffDesk = createHandoffDesk({
    ...stores,
    deliver: async (key, payload) => {
      delivered.push({ key, payload });
    },
    savedReplies: (locale) => SAVED[locale] ?? [],
  });
  return { desk, stores, delivered, heard };
}

describe.each(backends)('HandoffDesk on $name', ({ make }) => {
  it('shows the queue in order with the wait so far and never the conversation key', async () => {
    const { desk, stores } = await deskOn(make);
    const adult = await stores.queue.enqueue(newTicket(), 10_000);
    const child = await stores.queue.enqueue(newTicket({ conversationKey: 'twitter:99', channel: 'twitter', flags: { crisis: false, danger: false, under18: true } }), 40_000);
    const views = await desk.queue(70_500);
    expect(views.map((v) => [v.id, v.waitingSeconds])).toEqual([
      [child.id, 30],
      [adult.id, 60],
    ]);
    expect(views[0]).toMatchObject({ channel: 'twitter', status: 'queued', flags: { under18: true }, answers: adult.answers, locale: 'en-GB' });
    expect(JSON.stringify(views)).not.toMatch(/conversationKey|telegram:424242|twitter:99/);
    expect(views[0]).not.toHaveProperty('claimedBy');
  });

  it('opens a ticket with its transcript, audits the view, and leaves out the conversation key', async () => {
    const { desk, stores } = await deskOn(make);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    await stores.transcripts.append(KEY, { at: 1_500, from: 'person', text: 'please help' });
    const opened = await desk.open(ticket.id, 'alice', 4_000);
    expect(opened?.ticket).toMatchObject({ id: ticket.id, waitingSeconds: 3, status: 'queued' });
    expect(opened?.transcript).toEqual([{ at: 1_500, from: 'person', text: 'please help' }]);
    expect(JSON.stringify(opened)).not.toMatch(/conversationKey|telegram:424242/);
    expect(await stores.audit.list()).toEqual([{ at: 4_000, handler: 'alice', action: 'viewed', ticketId: ticket.id }]);
    expect(await desk.open('no-such-ticket', 'alice', 5_000)).toBeUndefined();
    expect(await stores.audit.list()).toHaveLength(1);
  });

  it('lets one handler claim a queued ticket: audited, the person told a handler joined, consoles told', async () => {
    const { desk, stores, delivered, heard } = await deskOn(make);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    expect(await desk.claim(ticket.id, 'alice', 2_000)).toBe('ok');
    expect(await stores.queue.get(ticket.id)).toMatchObject({ status: 'claimed', claimedBy: 'alice' });
    expect(delivered).toEqual([{ key: KEY, payload: { type: 'handler', action: 'joined' } }]);
    expect(await stores.audit.list()).toEqual([{ at: 2_000, handler: 'alice', action: 'claimed', ticketId: ticket.id }]);
    await until(() => heard.length === 1);
    expect(heard).toEqual([{ type: 'queue-changed' }]);
    expect((await desk.queue(3_000))[0]).toMatchObject({ status: 'claimed', claimedBy: 'alice' });
  });

  it('answers "taken" to a claim of a claimed ticket and "gone" to one that is not there, doing nothing else', async () => {
    const { desk, stores, delivered } = await deskOn(make);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    await desk.claim(ticket.id, 'alice', 2_000);
    expect(await desk.claim(ticket.id, 'bob', 2_100)).toBe('taken');
    expect(await desk.claim(ticket.id, 'alice', 2_200)).toBe('taken');
    expect(await desk.claim('no-such-ticket', 'bob', 2_300)).toBe('gone');
    expect(delivered).toHaveLength(1);
    expect(await stores.audit.list()).toHaveLength(1);
    expect((await stores.queue.get(ticket.id))?.claimedBy).toBe('alice');
  });

  it('gives one of two handlers claiming at once the ticket, and tells the person only once', async () => {
    const { desk, stores, delivered } = await deskOn(make);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    const results = await Promise.all([desk.claim(ticket.id, 'alice', 2_000), desk.claim(ticket.id, 'bob', 2_000)]);
    expect([...results].sort()).toEqual(['ok', 'taken']);
    expect(delivered).toHaveLength(1);
  });

  it('delivers the holder’s trimmed reply to the person, records it, audits it without text and shows it live', async () => {
    const { desk, stores, delivered, heard } = await deskOn(make);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    await desk.claim(ticket.id, 'alice', 2_000);
    expect(await desk.reply(ticket.id, 'alice', '  You are not in trouble.\n', 3_000)).toBe('ok');
    const entry = { at: 3_000, from: 'handler', text: 'You are not in trouble.', handler: 'alice' };
    expect(delivered[1]).toEqual({ key: KEY, payload: { type: 'handler', action: 'message', text: 'You are not in trouble.' } });
    expect(await stores.transcripts.read(KEY)).toEqual([entry]);
    expect((await stores.audit.list())[0]).toEqual({ at: 3_000, handler: 'alice', action: 'replied', ticketId: ticket.id });
    expect(JSON.stringify(await stores.audit.list())).not.toContain('trouble');
    await until(() => heard.length === 2);
    expect(heard[1]).toEqual({ type: 'transcript', ticketId: ticket.id, entry });
  });

  it('delivers, records and shows a reply as the transcript keeps it, without bidi or zero-width characters', async () => {
    const { desk, stores, delivered, heard } = await deskOn(make);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    await desk.claim(ticket.id, 'alice', 2_000);
    expect(await desk.reply(ticket.id, 'alice', 'Call \u202e999\u202c now\u200b', 3_000)).toBe('ok');
    const entry = { at: 3_000, from: 'handler', text: 'Call 999 now', handler: 'alice' };
    expect(delivered[1]?.payload).toEqual({ type: 'handler', action: 'message', text: 'Call 999 now' });
    expect(await stores.transcripts.read(KEY)).toEqual([entry]);
    await until(() => heard.length === 2);
    expect(heard[1]).toEqual({ type: 'transcript', ticketId: ticket.id, entry });
  });

  it('refuses a reply from anyone but the holder, to a queued ticket, or to a ticket that is gone', async () => {
    const { desk, stores, delivered } = await deskOn(make);
    const queued = await stores.queue.enqueue(newTicket({ conversationKey: 'telegram:1' }), 1_000);
    const claimed = await stores.queue.enqueue(newTicket(), 1_000);
    await desk.claim(claimed.id, 'alice', 2_000);
    expect(await desk.reply(claimed.id, 'bob', 'hello', 3_000)).toBe('not-yours');
    expect(await desk.reply(queued.id, 'alice', 'hello', 3_000)).toBe('not-yours');
    expect(await desk.reply('no-such-ticket', 'alice', 'hello', 3_000)).toBe('gone');
    expect(delivered).toHaveLength(1);
    expect(await stores.transcripts.read(KEY)).toEqual([]);
    expect(await stores.transcripts.read('telegram:1')).toEqual([]);
  });

  it('rejects an empty or over-long reply with InvalidReplyError and sends nothing; 2000 characters is allowed', async () => {
    const { desk, stores, delivered } = await deskOn(make);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    await desk.claim(ticket.id, 'alice', 2_000);
    await expect(desk.reply(ticket.id, 'alice', '   \n ', 3_000)).rejects.toBeInstanceOf(InvalidReplyError);
    await expect(desk.reply(ticket.id, 'alice', 'a'.repeat(MAX_REPLY_LENGTH + 1), 3_000)).rejects.toBeInstanceOf(InvalidReplyError);
    expect(delivered).toHaveLength(1);
    expect(await desk.reply(ticket.id, 'alice', ` ${'a'.repeat(MAX_REPLY_LENGTH)} `, 3_000)).toBe('ok');
    expect(await desk.reply(ticket.id, 'alice', '💙'.repeat(MAX_REPLY_LENGTH), 3_100)).toBe('ok');
    expect(delivered).toHaveLength(3);
  });

  it('keeps notes in the transcript and audit only, never delivering them, for any handler on a queued or claimed ticket', async () => {
    const { desk, stores, delivered, heard } = await deskOn(make);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    expect(await desk.note(ticket.id, 'bob', ' Said he is 15. ', 1_500)).toBe('ok');
    await desk.claim(ticket.id, 'alice', 2_000);
    expect(await desk.note(ticket.id, 'bob', 'Supervisor aware', 2_500)).toBe('ok');
    expect(delivered.map((d) => d.payload.action)).toEqual(['joined']);
    expect(await stores.transcripts.read(KEY)).toEqual([
      { at: 1_500, from: 'note', text: 'Said he is 15.', handler: 'bob' },
      { at: 2_500, from: 'note', text: 'Supervisor aware', handler: 'bob' },
    ]);
    expect((await stores.audit.list()).filter((a) => a.action === 'noted')).toEqual([
      { at: 2_500, handler: 'bob', action: 'noted', ticketId: ticket.id },
      { at: 1_500, handler: 'bob', action: 'noted', ticketId: ticket.id },
    ]);
    await until(() => heard.filter((e) => e.type === 'transcript').length === 2);
    expect(await desk.note('no-such-ticket', 'bob', 'x', 3_000)).toBe('gone');
    await expect(desk.note(ticket.id, 'bob', '', 3_000)).rejects.toBeInstanceOf(InvalidReplyError);
  });

  it('lets only the holder transfer a ticket back to the queue, telling the person, so another handler can claim it', async () => {
    const { desk, stores, delivered, heard } = await deskOn(make);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    await desk.claim(ticket.id, 'alice', 2_000);
    expect(await desk.transfer(ticket.id, 'bob', 3_000)).toBe('not-yours');
    expect(await desk.transfer('no-such-ticket', 'alice', 3_000)).toBe('gone');
    expect(await desk.transfer(ticket.id, 'alice', 3_000)).toBe('ok');
    expect(await stores.queue.get(ticket.id)).toMatchObject({ status: 'queued', queuedAt: 1_000 });
    expect(delivered.map((d) => [d.key, d.payload.action])).toEqual([
      [KEY, 'joined'],
      [KEY, 'transferred'],
    ]);
    expect((await stores.audit.list())[0]).toEqual({ at: 3_000, handler: 'alice', action: 'transferred', ticketId: ticket.id });
    await until(() => heard.length === 2);
    expect(heard[1]).toEqual({ type: 'queue-changed' });
    expect(await desk.transfer(ticket.id, 'alice', 3_500)).toBe('not-yours');
    expect(await desk.claim(ticket.id, 'bob', 4_000)).toBe('ok');
  });

  it('lets only the holder end a conversation: removed from the queue, the person told, audited, consoles told', async () => {
    const { desk, stores, delivered, heard } = await deskOn(make);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    await desk.claim(ticket.id, 'alice', 2_000);
    expect(await desk.end(ticket.id, 'bob', 3_000)).toBe('not-yours');
    expect(await stores.queue.get(ticket.id)).toBeDefined();
    expect(await desk.end(ticket.id, 'alice', 3_000)).toBe('ok');
    expect(await stores.queue.get(ticket.id)).toBeUndefined();
    expect(await stores.queue.byConversation(KEY)).toBeUndefined();
    expect(delivered.at(-1)).toEqual({ key: KEY, payload: { type: 'handler', action: 'ended' } });
    expect((await stores.audit.list())[0]).toEqual({ at: 3_000, handler: 'alice', action: 'ended', ticketId: ticket.id });
    await until(() => heard.length === 2);
    expect(heard[1]).toEqual({ type: 'queue-changed' });
    expect(await desk.end(ticket.id, 'alice', 4_000)).toBe('gone');
    expect(await desk.reply(ticket.id, 'alice', 'still there?', 4_000)).toBe('gone');
  });

  it('exports a transcript with its reference while open and for the keep time after it ended, audited; never after, nor once erased', async () => {
    const { desk, stores } = await deskOn(make);
    await stores.transcripts.append(KEY, { at: 500, from: 'person', text: 'an earlier conversation' });
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    await stores.transcripts.append(KEY, { at: 1_000, from: 'system', text: 'Joined the queue.' });
    await desk.claim(ticket.id, 'alice', 2_000);
    await desk.reply(ticket.id, 'alice', 'Hello, I am Alice.', 2_500);
    const open = await desk.exportTranscript(ticket.id, 'alice', 3_000);
    expect(open?.ticket).toMatchObject({ id: ticket.id, reference: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/) });
    expect(open?.ticket.endedAt).toBeUndefined();
    expect(open?.entries.map((e) => e.text)).toEqual(['Joined the queue.', 'Hello, I am Alice.']);
    expect(open).toMatchObject({ exportedAt: 3_000, exportedBy: 'alice' });
    expect(JSON.stringify(open)).not.toContain(KEY);

    expect(await desk.end(ticket.id, 'alice', 4_000)).toBe('ok');
    await stores.transcripts.append(KEY, { at: 9_000, from: 'person', text: 'a later message' });
    const ended = await desk.exportTranscript(ticket.id, 'bob', 5_000);
    expect(ended?.ticket).toMatchObject({ reference: open?.ticket.reference, endedAt: 4_000, waitingSeconds: 3 });
    expect(ended?.entries.map((e) => e.text)).toEqual(['Joined the queue.', 'Hello, I am Alice.']);
    expect(await desk.find(ticket.id, 5_000)).toMatchObject({ id: ticket.id, endedAt: 4_000 });
    expect((await desk.open(ticket.id, 'bob', 5_000))?.ticket.endedAt).toBe(4_000);
    expect((await stores.audit.list(4)).map((e) => [e.action, e.handler])).toEqual([
      ['viewed', 'bob'],
      ['exported', 'bob'],
      ['ended', 'alice'],
      ['exported', 'alice'],
    ]);

    expect(await desk.exportTranscript(ticket.id, 'bob', 4_000 + CLOSED_KEEP_MS)).toBeUndefined();
    expect(await desk.find(ticket.id, 4_000 + CLOSED_KEEP_MS)).toBeUndefined();
    await stores.transcripts.delete(KEY);
    expect(await desk.exportTranscript(ticket.id, 'bob', 6_000)).toBeUndefined();
    expect(await desk.exportTranscript('no-such-ticket', 'bob', 6_000)).toBeUndefined();
    expect((await stores.audit.list(1))[0]?.action).toBe('viewed');
  });

  it('refuses to end a ticket nobody has claimed', async () => {
    const { desk, stores, delivered } = await deskOn(make);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    expect(await desk.end(ticket.id, 'alice', 2_000)).toBe('not-yours');
    expect(await stores.queue.get(ticket.id)).toBeDefined();
    expect(delivered).toEqual([]);
  });

  it('records the holder’s activity when they claim and when they reply, but not for a note', async () => {
    const { desk, stores } = await deskOn(make);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    await desk.claim(ticket.id, 'alice', 2_000);
    expect((await stores.queue.get(ticket.id))?.lastActivityAt).toBe(2_000);
    await desk.reply(ticket.id, 'alice', 'Hello', 5_000);
    await desk.note(ticket.id, 'alice', 'Quiet so far', 9_000);
    expect((await stores.queue.get(ticket.id))?.lastActivityAt).toBe(5_000);
  });

  it.each([
    ['signed-out', 'alice signed out. The person is back in the queue.'],
    ['session-timed-out', 'alice’s session ended. The person is back in the queue.'],
    ['removed', 'alice’s account was removed. The person is back in the queue.'],
    ['password-reset', 'alice’s password was reset, which signed them out. The person is back in the queue.'],
  ] as const)('puts a claim back in its place in the queue when its holder has gone (%s): audited with why, the person and the consoles told', async (reason, line) => {
    const { desk, stores, delivered, heard } = await deskOn(make);
    const older = await stores.queue.enqueue(newTicket({ conversationKey: 'telegram:1' }), 500);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    await stores.queue.enqueue(newTicket({ conversationKey: 'telegram:2' }), 1_500);
    await desk.claim(ticket.id, 'alice', 2_000);
    expect(await desk.release(ticket.id, 'bob', reason, 3_000)).toBe(false);
    expect(await desk.release(ticket.id, 'alice', reason, 3_000)).toBe(true);
    expect(await stores.queue.get(ticket.id)).toMatchObject({ status: 'queued', queuedAt: 1_000, requeuedAt: 3_000 });
    expect((await stores.queue.list()).map((t) => t.id).slice(0, 2)).toEqual([older.id, ticket.id]);
    expect((await stores.audit.list())[0]).toEqual({ at: 3_000, handler: 'alice', action: 'released', ticketId: ticket.id, reason });
    expect(delivered.at(-1)).toEqual({ key: KEY, payload: { type: 'handler', action: 'released' } });
    expect(await stores.transcripts.read(KEY)).toEqual([{ at: 3_000, from: 'system', text: line }]);
    await until(() => heard.length === 3);
    expect(heard.slice(1)).toEqual([{ type: 'transcript', ticketId: ticket.id, entry: { at: 3_000, from: 'system', text: line } }, { type: 'queue-changed' }]);
    expect(await desk.release(ticket.id, 'alice', reason, 4_000)).toBe(false);
    expect(delivered).toHaveLength(2);
  });

  it('lets an idle claim lapse only if the holder has not replied since the cut-off', async () => {
    const { desk, stores, delivered } = await deskOn(make);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    await desk.claim(ticket.id, 'alice', 2_000);
    await desk.reply(ticket.id, 'alice', 'Still here', 600_000);
    expect(await desk.release(ticket.id, 'alice', 'idle', 1_000_000, { idleSince: 100_000 })).toBe(false);
    expect((await stores.queue.get(ticket.id))?.status).toBe('claimed');
    expect(await desk.release(ticket.id, 'alice', 'idle', 1_500_000, { idleSince: 600_000 })).toBe(true);
    expect((await stores.audit.list())[0]).toEqual({ at: 1_500_000, handler: 'alice', action: 'released', ticketId: ticket.id, reason: 'idle' });
    expect((await stores.transcripts.read(KEY)).at(-1)?.text).toBe('No reply from alice for 15 minutes. The person is back in the queue.');
    expect(delivered.map((d) => d.payload.action)).toEqual(['joined', 'message', 'released']);
  });

  it('puts back every claim a handler holds, and only theirs', async () => {
    const { desk, stores } = await deskOn(make);
    const mine = [await stores.queue.enqueue(newTicket({ conversationKey: 'telegram:1' }), 1_000), await stores.queue.enqueue(newTicket({ conversationKey: 'telegram:2' }), 1_000)];
    const theirs = await stores.queue.enqueue(newTicket({ conversationKey: 'telegram:3' }), 1_000);
    const waiting = await stores.queue.enqueue(newTicket({ conversationKey: 'telegram:4' }), 1_000);
    for (const t of mine) await desk.claim(t.id, 'alice', 2_000);
    await desk.claim(theirs.id, 'bob', 2_000);
    expect(await desk.releaseAllHeldBy('alice', 'signed-out', 3_000)).toBe(2);
    expect((await stores.queue.list()).map((t) => [t.id, t.status, t.claimedBy])).toEqual(
      expect.arrayContaining([[mine[0]!.id, 'queued', undefined], [mine[1]!.id, 'queued', undefined], [theirs.id, 'claimed', 'bob'], [waiting.id, 'queued', undefined]]),
    );
    expect(await desk.releaseAllHeldBy('alice', 'signed-out', 4_000)).toBe(0);
  });

  it('lets a supervisor take over another handler’s conversation at once: audited naming who had it, the person not told', async () => {
    const { desk, stores, delivered, heard } = await deskOn(make);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    await desk.claim(ticket.id, 'alice', 2_000);
    expect(await desk.takeOver(ticket.id, 'sam', 3_000)).toBe('ok');
    expect(await stores.queue.get(ticket.id)).toMatchObject({ status: 'claimed', claimedBy: 'sam', lastActivityAt: 3_000 });
    expect((await stores.audit.list())[0]).toEqual({ at: 3_000, handler: 'sam', action: 'taken-over', ticketId: ticket.id, about: 'alice' });
    expect(delivered.map((d) => d.payload.action)).toEqual(['joined']);
    const line = { at: 3_000, from: 'system', text: 'sam (supervisor) took over from alice.' };
    expect(await stores.transcripts.read(KEY)).toEqual([line]);
    await until(() => heard.length === 3);
    expect(heard.slice(1)).toEqual([{ type: 'transcript', ticketId: ticket.id, entry: line }, { type: 'queue-changed' }]);
    expect(await desk.reply(ticket.id, 'alice', 'Are you there?', 4_000)).toBe('not-yours');
    expect(await desk.reply(ticket.id, 'sam', 'I am here.', 4_000)).toBe('ok');
    expect(await desk.takeOver(ticket.id, 'sam', 5_000)).toBe('ok');
    expect((await stores.audit.list()).filter((e) => e.action === 'taken-over')).toHaveLength(1);
    expect(await desk.takeOver('no-such-ticket', 'sam', 5_000)).toBe('gone');
  });

  it('lets a supervisor take over a waiting conversation by claiming it, so the person is told a handler joined', async () => {
    const { desk, stores, delivered } = await deskOn(make);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    expect(await desk.takeOver(ticket.id, 'sam', 2_000)).toBe('ok');
    expect(await stores.queue.get(ticket.id)).toMatchObject({ claimedBy: 'sam' });
    expect(delivered.map((d) => d.payload.action)).toEqual(['joined']);
    expect((await stores.audit.list())[0]).toMatchObject({ action: 'claimed', handler: 'sam' });
  });

  it('gives one of two supervisors taking over at once the conversation; the other is told it was taken', async () => {
    const { desk, stores } = await deskOn(make);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    await desk.claim(ticket.id, 'alice', 2_000);
    const results = await Promise.all([desk.takeOver(ticket.id, 'sam', 3_000), desk.takeOver(ticket.id, 'kim', 3_000)]);
    expect([...results].sort()).toEqual(['ok', 'taken']);
    const holder = (await stores.queue.get(ticket.id))?.claimedBy;
    expect((await stores.audit.list()).filter((e) => e.action === 'taken-over')).toEqual([
      { at: 3_000, handler: holder, action: 'taken-over', ticketId: ticket.id, about: 'alice' },
    ]);
  });

  it('gives the saved replies for the ticket’s locale', async () => {
    const { desk, stores } = await deskOn(make);
    expect(desk.savedReplies('cy')).toEqual(SAVED.cy);
    expect(desk.savedReplies('en-GB')).toEqual(SAVED['en-GB']);
    expect(desk.events).toBe(stores.events);
  });

  it('reads the audit log a page at a time, and audits the read with what was asked about', async () => {
    const { desk, stores } = await deskOn(make);
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    await desk.open(ticket.id, 'alice', 2_000);
    await desk.claim(ticket.id, 'alice', 3_000);
    await desk.reply(ticket.id, 'alice', 'hi', 4_000);
    const page = await desk.readAudit({ handler: 'alice', limit: 2 }, 'sam', 5_000);
    expect(page.entries.map((a) => a.action)).toEqual(['replied', 'claimed']);
    expect(page.next).toEqual({ to: 3_000, offset: 1 });
    expect((await desk.readAudit({ handler: 'alice', limit: 2, after: page.next }, 'sam', 6_000)).entries.map((a) => a.action)).toEqual(['viewed']);
    await desk.readAudit({ ticketId: ticket.id }, 'sam', 7_000);
    expect((await stores.audit.list(3))).toEqual([
      { at: 7_000, handler: 'sam', action: 'audit-read', ticketId: ticket.id },
      { at: 6_000, handler: 'sam', action: 'audit-read', about: 'alice' },
      { at: 5_000, handler: 'sam', action: 'audit-read', about: 'alice' },
    ]);
  });
});

describe('HandoffDesk on two Redis instances', () => {
  it('lets a handler on one instance claim and answer a person queued on another, and both consoles hear it', async () => {
    const keys = redis.keys();
    const side = () => redisStores(redis, keys);
    const a = await deskOn(side);
    const b = await deskOn(side);
    const ticket = await a.stores.queue.enqueue(newTicket(), 1_000);
    expect(await b.desk.claim(ticket.id, 'bob', 2_000)).toBe('ok');
    expect(await a.desk.claim(ticket.id, 'alice', 2_000)).toBe('taken');
    expect(await b.desk.reply(ticket.id, 'bob', 'Hello, I am Bob.', 3_000)).toBe('ok');
    expect((await a.desk.open(ticket.id, 'alice', 4_000))?.transcript.map((e) => e.text)).toEqual(['Hello, I am Bob.']);
    await until(() => a.heard.length === 2 && b.heard.length === 2);
    await sleep(50);
    expect(a.heard).toEqual(b.heard);
    expect((await a.stores.audit.list()).map((e) => e.action)).toEqual(['viewed', 'replied', 'claimed']);
  });
});
