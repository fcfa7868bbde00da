import Fastify, { type FastifyInstance } from 'fastify';
import { createBotCore } from '../../src/app/bot-core.js';
import type { HandlerAccounts } from '../../src/console/auth/handler-accounts.js';
import { MemoryLoginThrottle } from '../../src/console/auth/login-throttle.js';
import { MemorySessionStore } from '../../src/console/auth/session-store.js';
import { registerConsole } from '../../src/console/register-console.js';
import { createSavedReplies } from '../../src/console/console-strings.js';
import { createHandoffDesk } from '../../src/handoff/handoff-desk.js';
import type { ConsoleEvents, HandlerPayload, HandoffDesk } from '../../src/handoff/handoff-model.js';
import { MemoryAuditLog } from '../../src/storage/memory/audit-log.js';
import { MemoryConsoleEvents } from '../../src/storage/memory/console-events.js';
import { MemoryHandoffQueue } from '../../src/storage/memory/handoff-queue.js';
import { MemoryTranscriptStore } from '../../src/storage/memory/transcript-store.js';
import type { QueueTimeouts } from '../../src/handoff/queue-timeout.js';
import { MemoryClosedTickets } from '../../src/storage/memory/closed-tickets.js';

/** How a {@link startConsoleServer} is set up. */
export interface ConsoleServerOptions {
  /** The handlers who can sign in (their roles are read from here on every request). */
  readonly accounts: HandlerAccounts;
  /** The clock of the sessions, the routes and the transcripts. */
  readonly now: () => number;
  /** The console events; a fresh in-memory fan-out by default. */
  readonly events?: ConsoleEvents;
  readonly idleMs?: number;
  /** How long a session lasts however busy (the store's default, 12 hours, when not given). */
  readonly absoluteMs?: number;
  readonly heartbeatMs?: number;
  /** How long people may wait, for the time left the console shows (default 10 minutes, 30 for urgent tickets). */
  readonly queueTimeouts?: QueueTimeouts;
  /** How long an ended conversation's transcript can still be exported (default 24 hours). */
  readonly exportKeepMs?: number;
}

/** The console on 127.0.0.1 over memory stores, with what it delivered to people recorded. */
export interface ConsoleServer {
  readonly app: FastifyInstance;
  readonly base: string;
  readonly queue: MemoryHandoffQueue;
  readonly transcripts: MemoryTranscriptStore;
  readonly audit: MemoryAuditLog;
  readonly events: ConsoleEvents;
  readonly desk: HandoffDesk;
  readonly delivered: { key: string; payload: HandlerPayload }[];
}

/**
 * The call-handler console as the app builds it (sign-in, routes, desk,
 * saved replies from the real locale files), on memory stores, listening on
 * a free port. The caller closes `app`.
 */
export async function startConsoleServer({
  accounts,
  now,
  events = new MemoryConsoleEvents(),
  idleMs,
  absoluteMs,
  heartbeatMs,
  queueTimeouts = { normalMs: 10 * 60_000, urgentMs: 30 * 60_000 },
  exportKeepMs = 24 * 3600_000,
}: ConsoleServerOptions): Promise<ConsoleServer> {
  const core = await createBotCore();
  const queue = new MemoryHandoffQueue();
  const transcripts = new MemoryTranscriptStore({ ttlMs: 3600_000, now });
  const audit = new MemoryAuditLog();
  const delivered: { key: string; payload: HandlerPayload }[] = [];
  const desk = createHandoffDesk({
    queue,
    transcripts,
    audit,
    events,
    deliver: async (key, payload) => {
      delivered.push({ key, payload });
    },
    savedReplies: createSavedReplies((key, locale) => core.renderer.text(key, locale)),
    queueTimeouts,
    closedTickets: new MemoryClosedTickets({ keepMs: exportKeepMs }),
  });
  const app = Fastify();
  const sessions = new MemorySessionStore({ ...(idleMs !== undefined && { idleMs }), ...(absoluteMs !== undefined && { absoluteMs }) });
  await registerConsole(app, {
    accounts,
    sessions,
    throttle: new MemoryLoginThrottle(),
    now,
    forceName: core.profile.name,
    desk,
    strings: (key) => core.renderer.text(key, 'en-GB'),
    ...(heartbeatMs !== undefined && { heartbeatMs }),
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base, queue, transcripts, audit, events, desk, delivered };
}
