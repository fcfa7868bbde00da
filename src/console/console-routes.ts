import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidReplyError, MAX_REPLY_LENGTH } from '../handoff/handoff-desk.js';
import type { DeskResult, HandoffDesk } from '../handoff/handoff-model.js';
import { registerConsoleHeaders } from './console-headers.js';
import { clientStrings, type PageHandler, withSessionEnd, renderForbiddenPage, renderGonePage, renderQueuePage, renderTicketPage } from './console-pages.js';
import { type ConsoleStaticOptions, registerConsoleStatic } from './console-static.js';
import { CONSOLE_UI_KEYS, type ConsoleKey } from './console-strings.js';
import { createEventStreams } from './console-event-stream.js';
import { transcriptFileName, transcriptText } from './transcript-text.js';
import { type IsSupervisor, registerSupervisorRoutes } from './supervisor-routes.js';

/** The preHandler from the console's auth plugin: refuses requests without a live session (and POSTs without CSRF). */
export type RequireHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** What the console routes are built from. */
export interface ConsoleRoutesOptions {
  /** Everything the console does; the routes know nothing of queues, inboxes or channels. */
  readonly desk: HandoffDesk;
  /** Sets `request.handler = { username, csrfToken }` or answers 401/303/403 itself. */
  readonly requireHandler: RequireHandler;
  /** Whether a handler is a supervisor now (read on every request). */
  readonly isSupervisor: IsSupervisor;
  /** A `console.*` UI string in the console's language (en-GB). */
  readonly strings: (key: string) => string;
  readonly now?: () => number;
  /** Interval of the event stream's keep-alive comment and session check. */
  readonly heartbeatMs?: number;
  /** Live streams one session may have open on this instance (default 4). */
  readonly streamsPerSession?: number;
  /** The console is reached over HTTPS (the default): HSTS is sent. */
  readonly secure?: boolean;
  /** Where the static CSS and JS are read from (tests; defaults to `src/console/public`). */
  readonly staticFiles?: ConsoleStaticOptions;
  /** The force's name, on every page and in exported transcripts. */
  readonly forceName?: string;
}

const TICKET_ID = /^[A-Za-z0-9-]{1,64}$/;
const LOCALE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/;

/** HTTP status for each desk outcome. */
const STATUS: Record<DeskResult, number> = { ok: 200, taken: 409, 'not-yours': 409, gone: 404 };

/** The signed-in handler the auth preHandler attached to the request. */
function handlerOf(request: FastifyRequest): PageHandler {
  const handler = (request as FastifyRequest & { handler?: PageHandler }).handler;
  // requireHandler runs first on every route here; reaching this without it is a wiring error.
  if (!handler) throw new Error('console route reached without a signed-in handler');
  return handler;
}

/** A browser asking for a page (rather than the API): answered with HTML. */
function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

function ticketIdOf(request: FastifyRequest): string | undefined {
  const id = (request.params as { id?: unknown }).id;
  return typeof id === 'string' && TICKET_ID.test(id) ? id : undefined;
}

/** The trimmed `text` of a JSON body, or undefined if it is missing, empty or too long. */
function textOf(body: unknown): string | undefined {
  const text = typeof body === 'object' && body !== null ? (body as { text?: unknown }).text : undefined;
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim();
  return trimmed.length >= 1 && trimmed.length <= MAX_REPLY_LENGTH ? trimmed : undefined;
}

/**
 * The call-handler console: the queue and conversation pages, their JSON API,
 * the live event stream and the supervisors' routes (see
 * `supervisor-routes.ts`), all behind the auth plugin's `requireHandler`
 * (which also checks the CSRF header on every POST). Every response carries
 * the console's security headers (see {@link registerConsoleHeaders}). The browser only ever sees ticket ids and
 * TicketViews from the desk, never a conversation key or platform id.
 */
export async function registerConsoleRoutes(
  app: FastifyInstance,
  {
    desk,
    requireHandler,
    isSupervisor,
    strings,
    now = Date.now,
    heartbeatMs = 15_000,
    streamsPerSession = 4,
    secure = true,
    staticFiles = {},
    forceName = '',
  }: ConsoleRoutesOptions,
): Promise<void> {
  const text = (key: ConsoleKey) => strings(key);
  const uiStrings = clientStrings(CONSOLE_UI_KEYS, text);
  const streams = createEventStreams(desk.events, { heartbeatMs, maxPerSession: streamsPerSession });

  await app.register(async (scope) => {
    await registerConsoleHeaders(scope, { secure });
    scope.addHook('preClose', async () => {
      streams.closeAll();
    });
    registerConsoleStatic(scope, staticFiles);

    const html = (reply: FastifyReply, status: number, body: string) =>
      reply.status(status).type('text/html; charset=utf-8').send(body);
    /** The signed-in handler with their role now, for a page's header and buttons. */
    const pageHandler = async (request: FastifyRequest): Promise<PageHandler> => {
      const handler = handlerOf(request);
      return { ...withSessionEnd(handler, now()), supervisor: await isSupervisor(handler.username) };
    };
    const forbidden = (request: FastifyRequest, reply: FastifyReply) =>
      wantsHtml(request)
        ? html(reply, 403, renderForbiddenPage({ handler: { ...handlerOf(request), supervisor: false }, text }))
        : reply.status(403).send({ result: 'forbidden' });
    registerSupervisorRoutes(scope, { desk, requireHandler, isSupervisor, forbidden, ticketIdOf, status: STATUS, text, strings: uiStrings, now });

    scope.get('/console', { preHandler: requireHandler }, async (request, reply) => {
      return html(reply, 200, renderQueuePage({ handler: await pageHandler(request), text, strings: uiStrings }));
    });

    // The page itself is found through the queue (not audited); its script then opens the
    // ticket through the API once the live stream is connected, so no entry can be missed.
    scope.get('/console/tickets/:id', { preHandler: requireHandler }, async (request, reply) => {
      const handler = await pageHandler(request);
      const id = ticketIdOf(request);
      const ticket = id === undefined ? undefined : await desk.find(id, now());
      if (!ticket) return html(reply, 404, renderGonePage({ handler, text }));
      return html(
        reply,
        200,
        renderTicketPage({ handler, text, strings: uiStrings, ticket, savedReplies: desk.savedReplies(ticket.locale) }),
      );
    });

    scope.get('/console/api/queue', { preHandler: requireHandler }, async () => desk.queue(now()));

    scope.get('/console/api/tickets/:id', { preHandler: requireHandler }, async (request, reply) => {
      const id = ticketIdOf(request);
      const opened = id === undefined ? undefined : await desk.open(id, handlerOf(request).username, now());
      if (!opened) return reply.status(404).send({ result: 'gone' });
      return opened;
    });

    const actions = { claim: desk.claim, transfer: desk.transfer, end: desk.end } as const;
    for (const [name, act] of Object.entries(actions)) {
      scope.post(`/console/api/tickets/:id/${name}`, { preHandler: requireHandler }, async (request, reply) => {
        const id = ticketIdOf(request);
        const result: DeskResult = id === undefined ? 'gone' : await act.call(desk, id, handlerOf(request).username, now());
        return reply.status(STATUS[result]).send({ result });
      });
    }

    const writes = { reply: desk.reply, note: desk.note } as const;
    for (const [name, write] of Object.entries(writes)) {
      scope.post(`/console/api/tickets/:id/${name}`, { preHandler: requireHandler }, async (request, reply) => {
        const message = textOf(request.body);
        if (message === undefined) return reply.status(400).send({ result: 'invalid', maxLength: MAX_REPLY_LENGTH });
        const id = ticketIdOf(request);
        try {
          const result: DeskResult = id === undefined ? 'gone' : await write.call(desk, id, handlerOf(request).username, message, now());
          return reply.status(STATUS[result]).send({ result });
        } catch (error) {
          // The desk enforces the same bounds (InvalidReplyError); answer it as the bad request it is.
          if (error instanceof InvalidReplyError) {
            return reply.status(400).send({ result: 'invalid', maxLength: MAX_REPLY_LENGTH });
          }
          throw error;
        }
      });
    }

    // A POST, so it carries the CSRF token like every action: the export is audited.
    scope.post('/console/api/tickets/:id/export', { preHandler: requireHandler }, async (request, reply) => {
      const id = ticketIdOf(request);
      const exported = id === undefined ? undefined : await desk.exportTranscript(id, handlerOf(request).username, now());
      if (!exported) return reply.status(404).send({ result: 'gone' });
      const { reference } = exported.ticket;
      return { result: 'ok', reference, fileName: transcriptFileName(reference), text: transcriptText(exported, { text, forceName }) };
    });

    scope.get('/console/api/saved-replies', { preHandler: requireHandler }, async (request, reply) => {
      const locale = (request.query as { locale?: unknown }).locale ?? 'en-GB';
      if (typeof locale !== 'string' || !LOCALE.test(locale)) return reply.status(400).send({ result: 'invalid' });
      return desk.savedReplies(locale);
    });

    scope.get('/console/api/events', { preHandler: requireHandler }, async (request, reply) => {
      const { username } = handlerOf(request);
      const session = request.consoleSession;
      if (!session) throw new Error('console route reached without a signed-in session');
      const query = (request.query as { ticket?: unknown }).ticket;
      const ticketId = typeof query === 'string' && TICKET_ID.test(query) ? query : undefined;
      const opened = await streams.open(reply, session, async () => {
        // Watching a conversation live is viewing it: audited as the ticket API does, and only if it exists.
        if (ticketId === undefined || !(await desk.open(ticketId, username, now()))) return {};
        return { ticketId };
      });
      if (!opened) return reply.status(429).send({ error: 'too many live streams for this session' });
      return undefined;
    });
  });
}
