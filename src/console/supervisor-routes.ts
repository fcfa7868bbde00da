import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DeskResult, HandoffDesk } from '../handoff/handoff-model.js';
import { auditFilterFields, formatAuditCursor, parseAuditQuery } from './audit-filters.js';
import { renderAuditPage } from './audit-page.js';
import { type ConsoleText, type PageHandler, withSessionEnd } from './console-pages.js';

/** Whether a handler has the supervisor role now (the accounts' `isSupervisor`, read on every request). */
export type IsSupervisor = (username: string) => Promise<boolean>;

/** The preHandler that lets only a signed-in handler through; see `console-auth.ts`. */
type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** What the supervisor routes are built from. */
export interface SupervisorRoutesOptions {
  readonly desk: HandoffDesk;
  /** Signs the request in (and checks CSRF on POST); runs before the role check. */
  readonly requireHandler: Guard;
  readonly isSupervisor: IsSupervisor;
  /** Answers a handler who is not a supervisor: 403, as JSON for the API or as a page for a browser. */
  readonly forbidden: (request: FastifyRequest, reply: FastifyReply) => FastifyReply;
  readonly ticketIdOf: (request: FastifyRequest) => string | undefined;
  readonly status: Readonly<Record<DeskResult, number>>;
  /** The console's UI strings, for the audit page and (as `strings`) its script. */
  readonly text: ConsoleText;
  readonly strings: Record<string, string>;
  readonly now: () => number;
}

/** The signed-in handler the auth preHandler attached, if any. */
function signedIn(request: FastifyRequest): PageHandler | undefined {
  return (request as FastifyRequest & { handler?: PageHandler }).handler;
}

/**
 * Builds the preHandlers of a supervisor-only route: signed in first, then
 * the role, read from the accounts on this request (so revoking it takes
 * effect on the very next request, without waiting for the session to end).
 */
export function supervisorOnly({ requireHandler, isSupervisor, forbidden }: Pick<SupervisorRoutesOptions, 'requireHandler' | 'isSupervisor' | 'forbidden'>): Guard[] {
  const requireSupervisor: Guard = async (request, reply) => {
    const handler = signedIn(request);
    if (handler && (await isSupervisor(handler.username))) return undefined;
    return forbidden(request, reply);
  };
  return [requireHandler, requireSupervisor];
}

/**
 * What only supervisors may do in the console: take a conversation over from
 * the handler who holds it, and read the audit log (a page, and its JSON API
 * filtered by handler, ticket and London dates, newest first, a page at a
 * time). Anyone else gets 403 and nothing changes; the desk audits the
 * take-over, naming the previous holder, and every read of the log.
 */
export function registerSupervisorRoutes(scope: FastifyInstance, options: SupervisorRoutesOptions): void {
  const { desk, ticketIdOf, status, text, strings, now } = options;
  scope.post('/console/api/tickets/:id/take-over', { preHandler: supervisorOnly(options) }, async (request, reply) => {
    const id = ticketIdOf(request);
    const handler = signedIn(request);
    const result: DeskResult = id === undefined || !handler ? 'gone' : await desk.takeOver(id, handler.username, now());
    return reply.status(status[result]).send({ result });
  });

  scope.get('/console/audit', { preHandler: supervisorOnly(options) }, async (request, reply) => {
    const handler = { ...withSessionEnd(signedIn(request) as PageHandler, now()), supervisor: true };
    const page = renderAuditPage({ handler, text, strings, filters: auditFilterFields(request.query) });
    return reply.type('text/html; charset=utf-8').send(page);
  });

  scope.get('/console/api/audit', { preHandler: supervisorOnly(options) }, async (request, reply) => {
    const query = parseAuditQuery(request.query);
    const handler = signedIn(request);
    if (!query || !handler) return reply.status(400).send({ result: 'invalid' });
    const page = await desk.readAudit(query, handler.username, now());
    return { entries: page.entries, ...(page.next && { next: formatAuditCursor(page.next) }) };
  });
}
