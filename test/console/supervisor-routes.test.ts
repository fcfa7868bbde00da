import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FileHandlerAccounts } from '../../src/console/auth/handler-accounts.js';
import type { NewTicket } from '../../src/handoff/handoff-model.js';
import { type Agent, getAs, postAs, signInOverHttp } from '../support/console-agent.js';
import { type ConsoleServer, startConsoleServer } from '../support/console-server.js';
import { HANDLER_PASSWORD, TEST_HASHING } from '../support/telegram-app.js';

const ticket = (chat: number): NewTicket => ({
  conversationKey: `telegram:${chat}`,
  channel: 'telegram',
  reason: 'requested',
  flags: { crisis: false, danger: false, under18: false },
  answers: { ageGroup: 'adult', knownPerson: false, stepsSeen: ['welcome'] },
  locale: 'en-GB',
});

describe('supervisor routes', () => {
  let dir: string;
  let accounts: FileHandlerAccounts;
  let server: ConsoleServer;
  let clock: number;
  let alice: Agent;
  let bob: Agent;
  let sam: Agent;
  const get = (path: string, agent?: Agent, accept?: string) => getAs(server.base, path, agent, accept);
  const post = (path: string, agent?: Agent, body?: unknown) => postAs(server.base, path, agent, body);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'supervisor-routes-'));
    accounts = new FileHandlerAccounts({ path: join(dir, 'handlers.json'), hashing: TEST_HASHING });
    await accounts.add('alice', HANDLER_PASSWORD);
    await accounts.add('bob', HANDLER_PASSWORD);
    await accounts.add('sam', HANDLER_PASSWORD, { supervisor: true });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    // After the audit history below, so sign-ins and reads do not fall in its dates.
    clock = Date.UTC(2026, 3, 2, 12, 0, 0);
    server = await startConsoleServer({ accounts, now: () => clock });
    [alice, bob, sam] = await Promise.all(['alice', 'bob', 'sam'].map((name) => signInOverHttp(server.base, name, HANDLER_PASSWORD))) as [Agent, Agent, Agent];
  });

  afterEach(async () => {
    await server.app.close();
    await accounts.setSupervisor('bob', false);
  });

  /** A conversation alice has claimed. */
  async function alicesTicket(chat: number): Promise<string> {
    const queued = await server.queue.enqueue(ticket(chat), clock);
    expect((await post(`/console/api/tickets/${queued.id}/claim`, alice)).status).toBe(200);
    return queued.id;
  }

  describe('take-over', () => {
    it('refuses a handler who is not a supervisor (403), changing nothing and auditing nothing', async () => {
      const id = await alicesTicket(1);
      const attempt = await post(`/console/api/tickets/${id}/take-over`, bob);
      expect(attempt.status).toBe(403);
      expect(await attempt.json()).toEqual({ result: 'forbidden' });
      expect(await server.queue.get(id)).toMatchObject({ status: 'claimed', claimedBy: 'alice' });
      expect((await server.audit.list()).map((e) => e.action)).not.toContain('taken-over');
      expect((await post(`/console/api/tickets/${id}/reply`, alice, { text: 'Still here' })).status).toBe(200);
    });

    it('refuses a take-over without a session (401) or without the CSRF header (403)', async () => {
      const id = await alicesTicket(2);
      expect((await post(`/console/api/tickets/${id}/take-over`)).status).toBe(401);
      const noCsrf = await postAs(server.base, `/console/api/tickets/${id}/take-over`, sam, undefined, { csrf: false });
      expect(noCsrf.status).toBe(403);
      expect((await server.queue.get(id))?.claimedBy).toBe('alice');
    });

    it('lets a supervisor take over: the conversation is theirs, the previous holder can no longer reply, audited naming them', async () => {
      const id = await alicesTicket(3);
      const taken = await post(`/console/api/tickets/${id}/take-over`, sam);
      expect(taken.status).toBe(200);
      expect(await taken.json()).toEqual({ result: 'ok' });
      expect(await server.queue.get(id)).toMatchObject({ status: 'claimed', claimedBy: 'sam' });
      expect((await server.audit.list())[0]).toEqual({ at: clock, handler: 'sam', action: 'taken-over', ticketId: id, about: 'alice' });
      expect((await post(`/console/api/tickets/${id}/reply`, alice, { text: 'hello?' })).status).toBe(409);
      expect((await post(`/console/api/tickets/${id}/reply`, sam, { text: 'I am Sam, a supervisor.' })).status).toBe(200);
      expect(server.delivered.map((d) => d.payload.action)).toEqual(['joined', 'message']);
      expect((await post('/console/api/tickets/no-such-ticket/take-over', sam)).status).toBe(404);
    });

    it('reads the role on every request, so granting and revoking it apply at once', async () => {
      const id = await alicesTicket(4);
      await accounts.setSupervisor('bob', true);
      expect((await post(`/console/api/tickets/${id}/take-over`, bob)).status).toBe(200);
      await accounts.setSupervisor('bob', false);
      expect((await post(`/console/api/tickets/${id}/take-over`, sam)).status).toBe(200);
      expect((await post(`/console/api/tickets/${id}/take-over`, bob)).status).toBe(403);
      expect((await server.queue.get(id))?.claimedBy).toBe('sam');
    });

    it('shows the take-over button, and the link to the audit log, to supervisors only', async () => {
      const id = await alicesTicket(5);
      const page = async (path: string, agent: Agent) => (await get(path, agent, 'text/html')).text();
      const forSam = await page(`/console/tickets/${id}`, sam);
      expect(forSam).toContain('<button type="button" id="take-over">Take over</button>');
      expect(forSam).toContain('<a href="/console/audit">Audit log</a>');
      expect(await page('/console', sam)).toContain('<a href="/console/audit">Audit log</a>');
      const forBob = await page(`/console/tickets/${id}`, bob);
      expect(forBob).not.toContain('take-over');
      expect(forBob).not.toContain('/console/audit');
      expect(await page('/console', bob)).not.toContain('/console/audit');
    });
  });

  describe('audit log', () => {
    /** Entries at known London times: 9 and 10 March 2026 (GMT), and 29 March, the first day of BST. */
    async function history(): Promise<void> {
      const at = (iso: string) => Date.parse(iso);
      await server.audit.append({ at: at('2026-03-09T08:00:00Z'), handler: 'alice', action: 'signed-in' });
      await server.audit.append({ at: at('2026-03-09T23:59:59Z'), handler: 'alice', action: 'claimed', ticketId: 'ticket-1' });
      await server.audit.append({ at: at('2026-03-10T00:00:00Z'), handler: 'bob', action: 'viewed', ticketId: 'ticket-1' });
      await server.audit.append({ at: at('2026-03-10T09:00:00Z'), handler: 'sam', action: 'taken-over', ticketId: 'ticket-1', about: 'alice' });
      await server.audit.append({ at: at('2026-03-28T23:30:00Z'), handler: 'bob', action: 'claimed', ticketId: 'ticket-2' });
      await server.audit.append({ at: at('2026-03-29T00:30:00Z'), handler: 'bob', action: 'released', ticketId: 'ticket-2', reason: 'idle' });
    }

    const read = async (query: string, agent: Agent = sam) => {
      const response = await get(`/console/api/audit${query}`, agent);
      return { status: response.status, body: (await response.json()) as { entries?: { at: number; handler: string; action: string }[]; next?: string; result?: string } };
    };

    it('refuses the page and the API to a handler who is not a supervisor (403), and to no session (303, 401)', async () => {
      await history();
      const page = await get('/console/audit', bob, 'text/html');
      expect(page.status).toBe(403);
      const html = await page.text();
      expect(html).toContain('<h1>Supervisors only</h1>');
      expect(html).not.toContain('taken-over');
      const api = await read('', bob);
      expect(api).toEqual({ status: 403, body: { result: 'forbidden' } });
      expect((await get('/console/audit', undefined, 'text/html')).status).toBe(303);
      expect((await get('/console/api/audit')).status).toBe(401);
      await accounts.setSupervisor('bob', true);
      expect((await read('', bob)).status).toBe(200);
      await accounts.setSupervisor('bob', false);
      expect((await read('', bob)).status).toBe(403);
    });

    it('serves supervisors a plain page: headings, labelled filters, a table with column headers, and only its own script', async () => {
      const response = await get('/console/audit?handler=alice&from=2026-03-01', sam, 'text/html');
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('<h1>Audit log</h1>');
      for (const id of ['filter-handler', 'filter-ticket', 'filter-from', 'filter-to']) expect(html).toMatch(new RegExp(`<label for="${id}">[^<]+</label>`));
      expect(html).toMatch(/<input[^>]*id="filter-handler"[^>]*value="alice"/);
      expect(html).toMatch(/<input type="date"[^>]*id="filter-from"[^>]*value="2026-03-01"/);
      expect(html).toMatch(/<form[^>]*method="get"[^>]*action="\/console\/audit"/);
      expect(html).toMatch(/<table[^>]*>\s*<caption>/);
      expect((html.match(/<th scope="col">/g) ?? []).length).toBe(5);
      const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1] as string);
      expect(scripts).toContain(' type="module" src="/console/static/audit.js"');
      expect(scripts.every((attrs) => attrs.includes('src="/console/static/') || attrs.includes('type="application/json"'))).toBe(true);
      expect(html).not.toMatch(/ on[a-z]+=|style=|https?:\/\//);
      expect((await get('/console/static/audit.js')).headers.get('content-type')).toContain('text/javascript');
    });

    it('escapes whatever filters are put in the address', async () => {
      const html = await (await get('/console/audit?handler=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E', sam, 'text/html')).text();
      expect(html).not.toContain('<script>alert(1)</script>');
      expect(html).toContain('&#34;&#62;&#60;script&#62;');
    });

    it('answers newest first, filtered by handler, ticket and London dates (whole days, GMT or BST)', async () => {
      await history();
      const actions = async (query: string) => (await read(query)).body.entries?.map((e) => `${e.handler} ${e.action}`);
      expect(await actions('?handler=alice&to=2026-03-31')).toEqual(['sam taken-over', 'alice claimed', 'alice signed-in']);
      expect(await actions('?ticket=ticket-1&to=2026-03-31')).toEqual(['sam taken-over', 'bob viewed', 'alice claimed']);
      expect(await actions('?ticket=ticket-1&handler=bob')).toEqual(['bob viewed']);
      expect(await actions('?from=2026-03-10&to=2026-03-10')).toEqual(['sam taken-over', 'bob viewed']);
      expect(await actions('?to=2026-03-09')).toEqual(['alice claimed', 'alice signed-in']);
      // 23:30 GMT on the 28th is the 28th in London; 00:30 UTC on the 29th is 01:30 BST, the 29th.
      expect(await actions('?from=2026-03-29&to=2026-03-31')).toEqual(['bob released']);
      expect(await actions('?from=2026-03-28&to=2026-03-28')).toEqual(['bob claimed']);
    });

    it('pages with a cursor until there is no next page', async () => {
      await history();
      const first = await read('?handler=bob&to=2026-03-31&limit=2');
      expect(first.body.entries?.map((e) => e.action)).toEqual(['released', 'claimed']);
      expect(first.body.next).toMatch(/^\d+\.\d+$/);
      const second = await read(`?handler=bob&to=2026-03-31&limit=2&after=${first.body.next}`);
      expect(second.body.entries?.map((e) => e.action)).toEqual(['viewed']);
      expect(second.body.next).toBeUndefined();
    });

    it('audits every read, with the filters asked for', async () => {
      await history();
      await read('?handler=alice');
      await read('?ticket=ticket-1&from=2026-03-01');
      expect((await server.audit.list(2)).map(({ handler, action, ticketId, about }) => ({ handler, action, ticketId, about }))).toEqual([
        { handler: 'sam', action: 'audit-read', ticketId: 'ticket-1', about: undefined },
        { handler: 'sam', action: 'audit-read', ticketId: undefined, about: 'alice' },
      ]);
    });

    it.each([
      '?handler=Alice%20Smith',
      '?ticket=%3Cscript%3E',
      '?from=2026-13-01',
      '?from=2026-02-30',
      '?from=yesterday',
      '?from=2026-03-10&to=2026-03-01',
      '?after=abc',
      '?limit=0',
      '?limit=1001',
    ])('refuses malformed filters (%s) with 400, reading and auditing nothing', async (query) => {
      const before = (await server.audit.list()).length;
      expect(await read(query)).toEqual({ status: 400, body: { result: 'invalid' } });
      expect(await server.audit.list()).toHaveLength(before);
    });
  });
});
