import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FileHandlerAccounts } from '../../src/console/auth/handler-accounts.js';
import { expectConsoleSecurityHeaders } from '../support/console-headers.js';
import { SAVED_REPLY_IDS } from '../../src/console/console-strings.js';
import type { ConsoleEvent, ConsoleEvents, HandlerPayload, NewTicket } from '../../src/handoff/handoff-model.js';
import type { MemoryAuditLog } from '../../src/storage/memory/audit-log.js';
import { MemoryConsoleEvents } from '../../src/storage/memory/console-events.js';
import type { MemoryHandoffQueue } from '../../src/storage/memory/handoff-queue.js';
import type { MemoryTranscriptStore } from '../../src/storage/memory/transcript-store.js';
import { type Agent, getAs, postAs, signInOverHttp } from '../support/console-agent.js';
import { startConsoleServer } from '../support/console-server.js';

const PASSWORD = 'correct horse battery staple';
/** Cheap argon2id settings: the tests check the console, not the hash cost. */
const HASHING = { memoryCost: 8192, timeCost: 1, parallelism: 1 };
const IDLE_MS = 15 * 60_000;

/** A person in the queue: a Telegram chat, an adult who has not paid. */
function newTicket(chat: number, flags: Partial<NewTicket['flags']> = {}): NewTicket {
  return {
    conversationKey: `telegram:${chat}`,
    channel: 'telegram',
    reason: flags.crisis ? 'crisis' : 'requested',
    flags: { crisis: false, danger: false, under18: false, ...flags },
    answers: { ageGroup: 'adult', paid: false, knownPerson: false, stepsSeen: ['welcome', 'safety', 'age'] },
    locale: 'en-GB',
  };
}

/** Counts live subscriptions, so a test can see the event stream unsubscribe. */
class CountingEvents implements ConsoleEvents {
  subscribers = 0;
  constructor(private readonly inner: ConsoleEvents) {}
  publish(event: ConsoleEvent): Promise<void> {
    return this.inner.publish(event);
  }
  subscribe(listener: (event: ConsoleEvent) => void): () => void {
    this.subscribers++;
    const off = this.inner.subscribe(listener);
    return () => {
      this.subscribers--;
      off();
    };
  }
}

/** One server-sent event stream, read as it arrives. */
interface Stream {
  readonly response: IncomingMessage;
  text(): string;
  waitFor(fragment: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

describe('console routes', () => {
  let dir: string;
  let app: FastifyInstance;
  let base: string;
  let clock: number;
  let queue: MemoryHandoffQueue;
  let audit: MemoryAuditLog;
  let transcripts: MemoryTranscriptStore;
  let events: CountingEvents;
  let delivered: { key: string; payload: HandlerPayload }[];
  let alice: Agent;
  let bob: Agent;
  let accounts: FileHandlerAccounts;
  const now = () => clock;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'console-routes-'));
    accounts = new FileHandlerAccounts({ path: join(dir, 'handlers.json'), hashing: HASHING });
    await accounts.add('alice', PASSWORD);
    await accounts.add('bob', PASSWORD);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    clock = Date.UTC(2026, 2, 10, 12, 0, 0);
    events = new CountingEvents(new MemoryConsoleEvents());
    const server = await startConsoleServer({ accounts, now, events, idleMs: IDLE_MS, heartbeatMs: 100 });
    ({ app, base, queue, audit, transcripts } = server);
    delivered = server.delivered;
    alice = await signIn('alice');
    bob = await signIn('bob');
  });

  afterEach(async () => {
    await app.close();
  });

  const signIn = (username: string) => signInOverHttp(base, username, PASSWORD);
  const get = (path: string, agent?: Agent, accept = 'application/json') => getAs(base, path, agent, accept);
  const post = (path: string, agent: Agent | undefined, body?: unknown, options: { csrf?: boolean } = {}) => postAs(base, path, agent, body, options);

  function openStream(path: string, agent: Agent): Promise<Stream> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${base}${path}`, { headers: { cookie: agent.cookie, accept: 'text/event-stream' } }, (response) => {
        let received = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          received += chunk;
        });
        resolve({
          response,
          text: () => received,
          async waitFor(fragment, timeoutMs = 3000) {
            const deadline = Date.now() + timeoutMs;
            while (!received.includes(fragment)) {
              if (Date.now() > deadline) throw new Error(`event stream: no ${JSON.stringify(fragment)} in ${JSON.stringify(received)}`);
              await new Promise((r) => setTimeout(r, 10));
            }
          },
          close: () => req.destroy(),
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  describe('sign-in and CSRF', () => {
    it('sends a browser without a session to the sign-in page and answers the API with 401', async () => {
      const page = await get('/console', undefined, 'text/html');
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toBe('/console/login');
      for (const path of ['/console/api/queue', '/console/api/tickets/abc', '/console/api/saved-replies', '/console/api/events']) {
        expect((await get(path)).status, path).toBe(401);
      }
      expect((await post('/console/api/tickets/abc/claim', undefined)).status).toBe(401);
      expect((await post('/console/api/tickets/abc/reply', undefined, { text: 'hi' })).status).toBe(401);
    });

    it('refuses every state-changing request without the CSRF header (403) and changes nothing', async () => {
      const ticket = await queue.enqueue(newTicket(1), clock);
      for (const action of ['claim', 'transfer', 'end']) {
        expect((await post(`/console/api/tickets/${ticket.id}/${action}`, alice, undefined, { csrf: false })).status, action).toBe(403);
      }
      for (const action of ['reply', 'note']) {
        expect((await post(`/console/api/tickets/${ticket.id}/${action}`, alice, { text: 'hello' }, { csrf: false })).status, action).toBe(403);
      }
      const wrong = await fetch(`${base}/console/api/tickets/${ticket.id}/claim`, {
        method: 'POST',
        headers: { cookie: alice.cookie, 'x-csrf-token': bob.csrf },
      });
      expect(wrong.status).toBe(403);
      expect((await queue.get(ticket.id))?.status).toBe('queued');
      expect(delivered).toEqual([]);
    });

    it('ends a session left idle too long: the API answers 401', async () => {
      expect((await get('/console/api/queue', alice)).status).toBe(200);
      clock += IDLE_MS + 1;
      expect((await get('/console/api/queue', alice)).status).toBe(401);
      expect((await get('/console', alice, 'text/html')).headers.get('location')).toBe('/console/login');
    });
  });

  describe('security headers', () => {
    it('puts the strict CSP, nosniff, no-referrer, no-store and HSTS on every console response, the live stream included', async () => {
      const ticket = await queue.enqueue(newTicket(2), clock);
      const responses = [
        await get('/console', alice, 'text/html'),
        await get(`/console/tickets/${ticket.id}`, alice, 'text/html'),
        await get('/console/tickets/no-such-ticket', alice, 'text/html'),
        await get('/console/api/queue', alice),
        await get('/console/api/queue'),
        await get('/console/static/console.css'),
        await get('/console/static/queue.js'),
        await post(`/console/api/tickets/${ticket.id}/claim`, alice),
        await post(`/console/api/tickets/${ticket.id}/claim`, alice, undefined, { csrf: false }),
      ];
      for (const response of responses) expectConsoleSecurityHeaders(response.headers, { what: response.url });
      const stream = await openStream('/console/api/events', alice);
      expectConsoleSecurityHeaders(stream.response.headers, { what: 'event stream' });
      stream.close();
    });
  });

  describe('pages', () => {
    it('serves the queue page with the CSRF meta tag, a sign-out form, a live list and only same-origin scripts', async () => {
      const response = await get('/console', alice, 'text/html');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      const html = await response.text();
      expect(html).toContain(`<meta name="csrf-token" content="${alice.csrf}">`);
      expect(html).toMatch(/<form class="sign-out" method="post" action="\/console\/logout"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+">/);
      expect(html).toContain('<main id="main"');
      expect(html).toMatch(/<h1>People waiting<\/h1>/);
      expect(html).toMatch(/<ul id="queue"[^>]*aria-live="polite"/);
      const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1] as string);
      expect(scripts.every((attrs) => attrs.includes('src="/console/static/') || attrs.includes('type="application/json"'))).toBe(true);
      expect(html).not.toMatch(/ on[a-z]+=|style=|https?:\/\//);
    });

    it('serves a conversation page with its buttons, labelled boxes, saved replies and a live transcript', async () => {
      const ticket = await queue.enqueue(newTicket(3, { crisis: true }), clock);
      const response = await get(`/console/tickets/${ticket.id}`, alice, 'text/html');
      expect(response.status).toBe(200);
      const html = await response.text();
      for (const button of ['Claim', 'Transfer back', 'End conversation', 'Send reply', 'Add note', 'Insert']) expect(html).toContain(`>${button}</button>`);
      for (const id of ['reply-text', 'note-text', 'saved-reply']) expect(html).toContain(`<label for="${id}">`);
      expect(html).toMatch(/<ol id="transcript"[^>]*aria-live="polite"/);
      expect(html).toContain('>Introduce yourself</option>');
      expect(html).not.toContain('telegram:3');
      // Opening the page is not yet a view: the script opens the ticket once it is live.
      expect(await audit.list()).toEqual([]);
    });

    it('answers a conversation that has gone with a plain 404 page', async () => {
      const response = await get('/console/tickets/8e1f0b5c-0000-4000-8000-000000000000', alice, 'text/html');
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('This conversation has ended');
    });

    it('serves only the known static files, with their types', async () => {
      expect((await get('/console/static/console.css')).headers.get('content-type')).toContain('text/css');
      for (const name of ['common.js', 'queue.js', 'ticket.js']) {
        expect((await get(`/console/static/${name}`)).headers.get('content-type'), name).toContain('text/javascript');
      }
      expect((await get('/console/static/..%2Fconsole-routes.ts')).status).toBe(404);
      expect((await get('/console/static/secret.json')).status).toBe(404);
    });
  });

  describe('JSON API', () => {
    it('lists the queue most urgent first, as views without the conversation key', async () => {
      const normal = await queue.enqueue(newTicket(10), clock - 120_000);
      const crisis = await queue.enqueue(newTicket(11, { crisis: true }), clock - 1000);
      const response = await get('/console/api/queue', alice);
      expect(response.status).toBe(200);
      const raw = await response.text();
      expect(raw).not.toContain('telegram:');
      expect(raw).not.toContain('conversationKey');
      const list = JSON.parse(raw) as { id: string; waitingSeconds: number; flags: { crisis: boolean } }[];
      expect(list.map((t) => t.id)).toEqual([crisis.id, normal.id]);
      expect(list[1]?.waitingSeconds).toBe(120);
    });

    it('opens a ticket with its transcript (audited as viewed) and answers 404 once it is gone', async () => {
      const ticket = await queue.enqueue(newTicket(12), clock);
      const response = await get(`/console/api/tickets/${ticket.id}`, alice);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { ticket: { id: string }; transcript: unknown[] };
      expect(body.ticket.id).toBe(ticket.id);
      expect(body.transcript).toEqual([]);
      expect(await audit.list()).toEqual([{ at: clock, handler: 'alice', action: 'viewed', ticketId: ticket.id }]);
      await queue.remove(ticket.id);
      const gone = await get(`/console/api/tickets/${ticket.id}`, alice);
      expect(gone.status).toBe(404);
      expect(await gone.json()).toEqual({ result: 'gone' });
    });

    it('lets one handler claim a conversation; a second handler gets 409 taken', async () => {
      const ticket = await queue.enqueue(newTicket(13), clock);
      const first = await post(`/console/api/tickets/${ticket.id}/claim`, alice);
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ result: 'ok' });
      const second = await post(`/console/api/tickets/${ticket.id}/claim`, bob);
      expect(second.status).toBe(409);
      expect(await second.json()).toEqual({ result: 'taken' });
      expect((await queue.get(ticket.id))?.claimedBy).toBe('alice');
      expect(delivered).toEqual([{ key: 'telegram:13', payload: { type: 'handler', action: 'joined' } }]);
    });

    it('delivers a reply from the holder only, trimmed, and refuses empty or over-long text with 400', async () => {
      const ticket = await queue.enqueue(newTicket(14), clock);
      await post(`/console/api/tickets/${ticket.id}/claim`, alice);
      delivered.length = 0;
      const notYours = await post(`/console/api/tickets/${ticket.id}/reply`, bob, { text: 'hello' });
      expect(notYours.status).toBe(409);
      expect(await notYours.json()).toEqual({ result: 'not-yours' });
      for (const body of [{ text: '   ' }, { text: 'x'.repeat(2001) }, { text: 42 }, {}]) {
        expect((await post(`/console/api/tickets/${ticket.id}/reply`, alice, body)).status, JSON.stringify(body).slice(0, 30)).toBe(400);
      }
      const ok = await post(`/console/api/tickets/${ticket.id}/reply`, alice, { text: '  Hi, I am here to help.  ' });
      expect(ok.status).toBe(200);
      expect((await post(`/console/api/tickets/${ticket.id}/reply`, alice, { text: 'y'.repeat(2000) })).status).toBe(200);
      expect(delivered.map((d) => d.payload)).toEqual([
        { type: 'handler', action: 'message', text: 'Hi, I am here to help.' },
        { type: 'handler', action: 'message', text: 'y'.repeat(2000) },
      ]);
      const opened = (await (await get(`/console/api/tickets/${ticket.id}`, alice)).json()) as { transcript: { from: string; text: string; handler: string }[] };
      expect(opened.transcript[0]).toMatchObject({ from: 'handler', text: 'Hi, I am here to help.', handler: 'alice' });
    });

    it('adds an internal note to the transcript without sending it to the person', async () => {
      const ticket = await queue.enqueue(newTicket(15), clock);
      expect((await post(`/console/api/tickets/${ticket.id}/note`, bob, { text: '' })).status).toBe(400);
      const response = await post(`/console/api/tickets/${ticket.id}/note`, bob, { text: 'Mentioned a school.' });
      expect(response.status).toBe(200);
      expect(delivered).toEqual([]);
      const opened = (await (await get(`/console/api/tickets/${ticket.id}`, alice)).json()) as { transcript: unknown[] };
      expect(opened.transcript).toEqual([{ at: clock, from: 'note', text: 'Mentioned a school.', handler: 'bob' }]);
    });

    it('transfers a conversation back to the queue and ends it, then answers 404 gone', async () => {
      const ticket = await queue.enqueue(newTicket(16), clock);
      expect((await post(`/console/api/tickets/${ticket.id}/transfer`, alice)).status).toBe(409);
      await post(`/console/api/tickets/${ticket.id}/claim`, alice);
      const transfer = await post(`/console/api/tickets/${ticket.id}/transfer`, alice);
      expect(transfer.status).toBe(200);
      expect((await queue.get(ticket.id))?.status).toBe('queued');
      await post(`/console/api/tickets/${ticket.id}/claim`, bob);
      const notYours = await post(`/console/api/tickets/${ticket.id}/end`, alice);
      expect(notYours.status).toBe(409);
      expect(await notYours.json()).toEqual({ result: 'not-yours' });
      const end = await post(`/console/api/tickets/${ticket.id}/end`, bob);
      expect(end.status).toBe(200);
      expect(delivered.map((d) => d.payload.action)).toEqual(['joined', 'transferred', 'joined', 'ended']);
      for (const action of ['claim', 'transfer', 'end']) {
        const gone = await post(`/console/api/tickets/${ticket.id}/${action}`, bob);
        expect(gone.status, action).toBe(404);
        expect(await gone.json()).toEqual({ result: 'gone' });
      }
      expect((await post(`/console/api/tickets/${ticket.id}/reply`, bob, { text: 'still there?' })).status).toBe(404);
      expect((await post('/console/api/tickets/not%20an%20id/claim', bob)).status).toBe(404);
    });

    it('exports a transcript as text with the force, its reference and UK times, audited, and for a day after it ended', async () => {
      const ticket = await queue.enqueue(newTicket(17, { crisis: true }), clock);
      await transcripts.append(ticket.conversationKey, { at: clock, from: 'person', text: 'Talk to a person', pressed: true });
      await post(`/console/api/tickets/${ticket.id}/claim`, alice);
      clock += 60_000;
      await post(`/console/api/tickets/${ticket.id}/reply`, alice, { text: 'Hi, I am Alice.' });
      await post(`/console/api/tickets/${ticket.id}/note`, alice, { text: 'Sounds frightened.' });
      const response = await post(`/console/api/tickets/${ticket.id}/export`, alice);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { result: string; reference: string; fileName: string; text: string };
      expect(body.reference).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(body.fileName).toBe(`transcript-${body.reference}.txt`);
      expect(body.text.split('\n')).toEqual([
        'Call handler console: conversation transcript',
        'Force: Staffordshire Police',
        `Reference: ${body.reference}`,
        'Channel: Telegram',
        'Reason: Crisis',
        'Joined the queue: 10 Mar 2026, 12:00:00',
        'Still open',
        'Exported: 10 Mar 2026, 12:01:00 by alice',
        'All times are UK time.',
        '',
        '[10 Mar 2026, 12:00:00] Person: Pressed the button: Talk to a person',
        '[10 Mar 2026, 12:01:00] Handler (alice): Hi, I am Alice.',
        '[10 Mar 2026, 12:01:00] Note (alice, internal, not sent): Sounds frightened.',
        '',
      ]);
      expect(body.text).not.toContain('telegram:17');
      expect((await audit.list(1))[0]).toEqual({ at: clock, handler: 'alice', action: 'exported', ticketId: ticket.id });

      await post(`/console/api/tickets/${ticket.id}/end`, alice);
      // Half an hour later (the transcript itself is kept for an hour by this test's store).
      clock += 30 * 60_000;
      bob = await signIn('bob');
      const ended = (await (await post(`/console/api/tickets/${ticket.id}/export`, bob)).json()) as { text: string };
      expect(ended.text).toContain('Ended: 10 Mar 2026, 12:01:00');
      expect((await get(`/console/tickets/${ticket.id}`, bob, 'text/html')).status).toBe(200);
      clock += 24 * 3600_000;
      bob = await signIn('bob');
      expect((await post(`/console/api/tickets/${ticket.id}/export`, bob)).status).toBe(404);
      expect((await get(`/console/tickets/${ticket.id}`, bob, 'text/html')).status).toBe(404);
    });

    it('refuses an export without a session (401), without the CSRF token or from another site (403), and records nothing', async () => {
      const ticket = await queue.enqueue(newTicket(18), clock);
      const before = (await audit.list(1000)).length;
      expect((await post(`/console/api/tickets/${ticket.id}/export`, undefined)).status).toBe(401);
      expect((await post(`/console/api/tickets/${ticket.id}/export`, alice, undefined, { csrf: false })).status).toBe(403);
      // Another site's fetch or form can carry no CSRF token: refused even if a browser sent the cookie.
      const crossSite = await fetch(`${base}/console/api/tickets/${ticket.id}/export`, { method: 'POST', headers: { cookie: alice.cookie, 'sec-fetch-site': 'cross-site' } });
      expect(crossSite.status).toBe(403);
      const crossSiteForm = await fetch(`${base}/console/api/tickets/${ticket.id}/export`, {
        method: 'POST',
        headers: { cookie: alice.cookie, 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' },
        body: '_csrf=guess',
      });
      expect(crossSiteForm.status).toBe(415);
      const stolenToken = await fetch(`${base}/console/api/tickets/${ticket.id}/export`, { method: 'POST', headers: { cookie: alice.cookie, 'x-csrf-token': bob.csrf } });
      expect(stolenToken.status).toBe(403);
      expect((await get(`/console/api/tickets/${ticket.id}/export`, alice)).status).toBe(404);
      expect((await audit.list(1000)).length).toBe(before);
    });

    it('lists the saved replies of a locale with the force details and numbers filled in', async () => {
      const response = await get('/console/api/saved-replies?locale=en-GB', alice);
      expect(response.status).toBe(200);
      const replies = (await response.json()) as { id: string; label: string; text: string }[];
      expect(replies.map((r) => r.id)).toEqual([...SAVED_REPLY_IDS]);
      expect(replies.length).toBeGreaterThanOrEqual(5);
      for (const reply of replies) {
        expect(reply.label.length).toBeGreaterThan(0);
        expect(reply.text).not.toContain('{{');
      }
      expect(replies.find((r) => r.id === 'safeNow')?.text).toContain('116 123');
      expect(replies.find((r) => r.id === 'report')?.text).toContain('101');
      expect((await get('/console/api/saved-replies?locale=<script>', alice)).status).toBe(400);
    });
  });

  describe('live events', () => {
    it('streams a queue event after a claim, the open ticket\'s transcript entries only, and heartbeats', async () => {
      const ticket = await queue.enqueue(newTicket(20), clock);
      const other = await queue.enqueue(newTicket(21), clock);
      const stream = await openStream(`/console/api/events?ticket=${ticket.id}`, alice);
      expect(stream.response.statusCode).toBe(200);
      expect(stream.response.headers['content-type']).toContain('text/event-stream');
      await stream.waitFor(': connected');
      await post(`/console/api/tickets/${ticket.id}/claim`, alice);
      await stream.waitFor('event: queue\ndata: {}\n\n');
      await post(`/console/api/tickets/${other.id}/note`, alice, { text: 'other ticket' });
      await post(`/console/api/tickets/${ticket.id}/reply`, alice, { text: 'Hello from the console' });
      await stream.waitFor('event: transcript\n');
      const transcript = stream.text().split('\n\n').filter((block) => block.startsWith('event: transcript'));
      expect(transcript).toHaveLength(1);
      expect(JSON.parse((transcript[0] as string).split('data: ')[1] as string)).toEqual({ at: clock, from: 'handler', text: 'Hello from the console', handler: 'alice' });
      await stream.waitFor(': heartbeat');
      stream.close();
    });

    it('unsubscribes when the browser goes away', async () => {
      const stream = await openStream('/console/api/events', alice);
      await stream.waitFor(': connected');
      expect(events.subscribers).toBe(1);
      stream.close();
      await until(() => events.subscribers === 0);
    });

    it('ends open streams when the server closes, so shutting down does not hang', async () => {
      const stream = await openStream('/console/api/events', alice);
      await stream.waitFor(': connected');
      const ended = new Promise((resolve) => stream.response.on('end', resolve));
      await app.close();
      await ended;
      expect(events.subscribers).toBe(0);
    });
  });
});
