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
    clock = Date.UTC(2026, 2, 10, 12, 0, 0);
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

    it('shows the take-over button to supervisors only', async () => {
      const id = await alicesTicket(5);
      const page = async (path: string, agent: Agent) => (await get(path, agent, 'text/html')).text();
      expect(await page(`/console/tickets/${id}`, sam)).toContain('<button type="button" id="take-over">Take over</button>');
      expect(await page(`/console/tickets/${id}`, bob)).not.toContain('take-over');
    });
  });
});
