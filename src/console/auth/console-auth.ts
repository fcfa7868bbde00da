import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { AuditLog, ConsoleEvents } from '../../handoff/handoff-model.js';
import { registerConsoleHeaders } from '../console-headers.js';
import type { HandlerAccounts } from './handler-accounts.js';
import { renderLoginPage, SIGN_IN_BUSY, SIGN_IN_FAILED, tooManyAttempts } from './login-page.js';
import type { LoginThrottle } from './login-throttle.js';
import type { PasswordCheckLimitOptions } from './password-check-limit.js';
import { SignInCheck } from './sign-in-check.js';
import { registerCookies, type SessionCookie, sessionCookie } from './session-cookie.js';
import { sessionHash, type SessionStore } from './session-store.js';

/** The signed-in call handler, set on `request.handler` by {@link createRequireHandler}. */
export interface SignedInHandler {
  readonly username: string;
  /** Render into `<meta name="csrf-token">`; scripts send it back in `x-csrf-token`. */
  readonly csrfToken: string;
  /** When the session ends however busy it is (ms), so the page can warn before then. */
  readonly sessionEndsAt?: number;
}

/**
 * The session behind a signed-in request, for work that outlives the request
 * (a live stream), set on `request.consoleSession` by {@link createRequireHandler}.
 */
export interface LiveSession {
  /** Stands for the session in events between instances (see `sessionHash`); not usable as a cookie. */
  readonly hash: string;
  readonly username: string;
  /** Whether the session is still live, asked without counting as the handler's activity. */
  alive(): Promise<boolean>;
}

/** Checks a request's session (and CSRF token) before a console route runs; usable as a Fastify preHandler. */
export type RequireHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in call handler, on routes protected by `requireHandler`. */
    handler?: SignedInHandler;
    /** Their session, on routes protected by `requireHandler`. */
    consoleSession?: LiveSession;
  }
  interface FastifyInstance {
    /** preHandler for console routes: see {@link createRequireHandler}. */
    requireHandler: RequireHandler;
  }
}

/** Where people who are not signed in are sent. */
export const LOGIN_PATH = '/console/login';
/** Where a successful sign-in lands. */
export const CONSOLE_PATH = '/console';
/** The CSRF header every state-changing console request must carry. */
export const CSRF_HEADER = 'x-csrf-token';
/**
 * Marks a GET the page makes by itself (a refresh, a reconnection): it is
 * answered like any other but does not count as the handler's activity, so
 * an open page alone never keeps an idle session alive. Marking a request
 * this way can only shorten a session, never lengthen it.
 */
export const BACKGROUND_HEADER = 'x-console-background';
/** The live event stream: opened and reopened by the page itself, never the handler's activity. */
const EVENT_STREAM_PATH = '/console/api/events';
/** The form field accepted instead of the header, so plain HTML forms (no script) work too. */
export const CSRF_FIELD = '_csrf';

/** What a sign-in turned away as too busy is told to wait, in seconds: a password check takes tens of milliseconds. */
const BUSY_RETRY_SECONDS = 2;

/** What the console's sign-in needs. */
export interface ConsoleAuthOptions {
  readonly accounts: Pick<HandlerAccounts, 'verify' | 'exists'>;
  readonly sessions: SessionStore;
  readonly throttle: LoginThrottle;
  /**
   * The console is reached over HTTPS (the default): the session cookie is
   * `__Host-` and `Secure`, and HSTS is sent. False only for a local trial
   * over plain HTTP.
   */
  readonly secure?: boolean;
  /** How many password checks run and wait at once (defaults: 2 and 16). */
  readonly passwordChecks?: PasswordCheckLimitOptions;
  /**
   * Records sign-ins, sign-outs, failed sign-ins and slow-downs; a failure to
   * write fails the request (and undoes a sign-in).
   */
  readonly audit?: Pick<AuditLog, 'append'>;
  /** Failed sign-ins and slow-downs are logged here (never a password). */
  readonly logger?: Logger;
  /** Where a sign-out is announced, so every instance ends the session's live streams at once. */
  readonly events?: Pick<ConsoleEvents, 'publish'>;
  /** The force whose console this is, named on the sign-in page. */
  readonly forceName?: string;
  readonly now?: () => number;
}

/** Options of {@link createRequireHandler}. */
interface RequireHandlerOptions {
  readonly sessions: SessionStore;
  readonly cookie: SessionCookie;
  readonly now: () => number;
}

/**
 * Builds the guard for console routes. No live session: a browser asking for
 * HTML is sent (303) to the sign-in page, anything else gets 401 JSON. A
 * request other than GET/HEAD must also carry the session's CSRF token in
 * `x-csrf-token` (or a `_csrf` form field), else 403: with SameSite=Strict
 * cookies this is the second, independent line against cross-site requests.
 * On success sets `request.handler`, `request.consoleSession` and
 * `Cache-Control: no-store`.
 */
function createRequireHandler({ sessions, cookie, now }: RequireHandlerOptions): RequireHandler {
  return async function requireHandler(request, reply) {
    const id = cookie.read(request);
    const changesState = request.method !== 'GET' && request.method !== 'HEAD';
    // A request counts as the handler's activity only once it has proved itself: its CSRF token first, if it changes anything.
    const read = isBackground(request) || changesState ? sessions.peek.bind(sessions) : sessions.get.bind(sessions);
    const session = id === undefined ? undefined : await read(id, now());
    reply.header('cache-control', 'no-store');
    if (!session) {
      if (id !== undefined) cookie.clear(reply);
      if (wantsHtml(request)) return reply.code(303).header('location', LOGIN_PATH).send();
      return reply.code(401).send({ error: 'sign-in required' });
    }
    if (changesState) {
      if (!sameToken(presentedCsrfToken(request), session.csrfToken)) return reply.code(403).send({ error: 'missing or wrong CSRF token' });
      if (!(await sessions.get(session.id, now()))) return reply.code(401).send({ error: 'sign-in required' });
    }
    request.handler = { username: session.username, csrfToken: session.csrfToken, sessionEndsAt: sessions.endsAt(session) };
    const sessionId = session.id;
    request.consoleSession = {
      hash: sessionHash(sessionId),
      username: session.username,
      alive: async () => (await sessions.peek(sessionId, now())) !== undefined,
    };
    return undefined;
  };
}

/** A request the page made by itself (see {@link BACKGROUND_HEADER}): only ever a GET. */
function isBackground(request: FastifyRequest): boolean {
  if (request.method !== 'GET') return false;
  return request.headers[BACKGROUND_HEADER] === '1' || request.url.split('?')[0] === EVENT_STREAM_PATH;
}

/** The signed-in handler of a protected request; throws if the route forgot `requireHandler`. */
export function signedInHandler(request: FastifyRequest): SignedInHandler {
  if (!request.handler) throw new Error('route is not protected by requireHandler');
  return request.handler;
}

/**
 * Adds the console's sign-in to a Fastify app: `GET`/`POST /console/login`,
 * `POST /console/logout`, and the `app.requireHandler` guard for the other
 * console routes. The login routes live in their own scope with their own
 * form parser (no extra dependency), so no other route accepts form bodies.
 */
export async function registerConsoleAuth(app: FastifyInstance, options: ConsoleAuthOptions): Promise<void> {
  const { accounts, sessions, throttle, secure = true, audit, logger = silentLogger, events, passwordChecks = {}, now = Date.now, forceName = '' } = options;
  const page = (fields: { error?: string; username?: string } = {}) => renderLoginPage({ ...fields, forceName });
  await registerCookies(app);
  const cookie = sessionCookie({ secure });
  const signIns = new SignInCheck({ accounts, throttle, audit, passwordChecks, now, logger });
  const requireHandler = createRequireHandler({ sessions, cookie, now });
  /** Ends a session here and tells every instance, whose live streams of it end at once. */
  const endSession = async (id: string) => {
    await sessions.destroy(id);
    try {
      await events?.publish({ type: 'session-ended', sessionHash: sessionHash(id) });
    } catch (error) {
      // The session is over regardless; other instances' streams of it end at their next heartbeat.
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not announce the end of a console session');
    }
  };
  app.decorateRequest('handler', undefined);
  app.decorateRequest('consoleSession', undefined);
  app.decorate('requireHandler', requireHandler);

  await app.register(async (scope) => {
    addFormBodyParser(scope);
    await registerConsoleHeaders(scope, { secure });

    scope.get(LOGIN_PATH, async (request, reply) => {
      const id = cookie.read(request);
      if (id !== undefined && (await sessions.get(id, now()))) return reply.code(303).header('location', CONSOLE_PATH).send();
      return sendPage(reply, 200, page());
    });

    scope.post(LOGIN_PATH, { bodyLimit: 8 * 1024 }, async (request, reply) => {
      // A sign-in posted from another site (login CSRF) is refused where browsers say so.
      if (request.headers['sec-fetch-site'] === 'cross-site') return reply.code(403).send({ error: 'cross-site sign-in refused' });
      const fields = formFields(request.body);
      const username = (fields.username ?? '').trim().toLowerCase();
      const password = fields.password ?? '';
      const outcome = await signIns.check(username, password, request.ip);
      switch (outcome.result) {
        case 'throttled':
          reply.header('retry-after', String(Math.max(1, Math.ceil(outcome.retryAfterMs / 1000))));
          return sendPage(reply, 429, page({ error: tooManyAttempts(outcome.retryAfterMs), username }));
        case 'busy':
          reply.header('retry-after', String(BUSY_RETRY_SECONDS));
          return sendPage(reply, 503, page({ error: SIGN_IN_BUSY, username }));
        case 'wrong':
          return sendPage(reply, 401, page({ error: SIGN_IN_FAILED, username }));
      }
      const previous = cookie.read(request);
      if (previous !== undefined) await endSession(previous);
      const session = await sessions.create(username, now());
      if (audit) {
        try {
          await audit.append({ at: now(), handler: username, action: 'signed-in' });
        } catch (error) {
          await sessions.destroy(session.id);
          throw error;
        }
      }
      cookie.set(reply, session.id);
      return reply.code(303).header('location', CONSOLE_PATH).send();
    });

    // The handler is at work on the page (typing a reply, reading and scrolling): that counts as activity, as a request does.
    scope.post('/console/api/activity', { bodyLimit: 1024, preHandler: requireHandler }, async (_request, reply) => reply.code(204).send());

    scope.post('/console/logout', { bodyLimit: 8 * 1024, preHandler: requireHandler }, async (request, reply) => {
      const id = cookie.read(request);
      if (id !== undefined) await endSession(id);
      cookie.clear(reply);
      await audit?.append({ at: now(), handler: signedInHandler(request).username, action: 'signed-out' });
      return reply.code(303).header('location', LOGIN_PATH).send();
    });
  });
}

/**
 * Parses `application/x-www-form-urlencoded` bodies into a string record, in
 * the given scope only. For console routes that take plain HTML forms.
 */
export function addFormBodyParser(scope: FastifyInstance): void {
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
}

function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

function formFields(body: unknown): Record<string, string | undefined> {
  if (typeof body !== 'object' || body === null) return {};
  const fields: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(body)) if (typeof value === 'string') fields[name] = value;
  return fields;
}

function presentedCsrfToken(request: FastifyRequest): string | undefined {
  const header = request.headers[CSRF_HEADER];
  if (typeof header === 'string') return header;
  return formFields(request.body)[CSRF_FIELD];
}

function sameToken(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
