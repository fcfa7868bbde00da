import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ChannelAdapter, ChannelContext, ChannelHealth } from '../channels/channel.js';
import type { TrustProxy } from '../config/trust-proxy.js';
import type { Logger } from '../core/logger.js';
import { fastifyTimeoutOptions, type ServerTimeouts } from './server-timeouts.js';

/** Not ready, and why, in words safe to show anyone who can reach `/readyz` (no secrets, no personal data). */
export interface NotReady {
  readonly ready: false;
  readonly reason: string;
}

/** A dependency the server needs before it can take traffic (e.g. the store, a channel). */
export interface ReadinessCheck {
  readonly name: string;
  /** true when ready; false, or {@link NotReady} with the reason, when not. */
  check(): Promise<boolean | NotReady>;
}

/** Routes polled by orchestrators and Prometheus, logged at `debug` only. */
export const QUIET_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/** What the HTTP server is built from. */
export interface ServerOptions {
  readonly channels: readonly ChannelAdapter[];
  readonly context: ChannelContext;
  readonly logger: Logger;
  readonly readiness?: readonly ReadinessCheck[];
  /** Largest accepted request body; platforms send far less. */
  readonly bodyLimit?: number;
  /**
   * Which proxies to believe about the client's address (Fastify's
   * `trustProxy`): needed behind a load balancer, so sign-in throttling and
   * rate limits see real client addresses rather than the proxy's.
   */
  readonly trustProxy?: TrustProxy;
  /** How long a client may take to send its request, and stay silent (see {@link ServerTimeouts}). */
  readonly timeouts?: ServerTimeouts;
}

/**
 * One Fastify server for every channel plus the health routes. Oversized
 * bodies get 413 and malformed JSON 400 before any channel sees them. Each
 * request gets an id that is logged with its route pattern and status, never
 * with its URL query or body. Slow clients are cut off (see {@link ServerTimeouts}).
 */
export async function createServer({
  channels,
  context,
  logger,
  readiness = [],
  bodyLimit = 256 * 1024,
  trustProxy = false,
  timeouts = {},
}: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit,
    trustProxy: fastifyTrustProxy(trustProxy),
    logger: false,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    ...fastifyTimeoutOptions(timeouts),
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    // Probes and scrapes arrive every few seconds: at info they would bury everything else.
    const log = QUIET_ROUTES.has(route) ? logger.debug.bind(logger) : logger.info.bind(logger);
    log({ event: 'request', reqId: request.id, method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  app.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) logger.error({ event: 'request.failed', reqId: request.id, err: { type: error.name, message: error.message } }, 'request failed');
    return reply.status(status).send({ error: status >= 500 ? 'internal error' : error.message });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const results = await Promise.all(readiness.map(async (r) => [r.name, await r.check().catch(() => false)] as const));
    const ready = results.every(([, result]) => result === true);
    const reasons = results.flatMap(([name, result]) => (typeof result === 'object' ? [[name, result.reason] as const] : []));
    const detail = channels.flatMap((c) => (c.health === undefined ? [] : [[`channel:${c.id}`, healthDetail(c.health())] as const]));
    return reply.status(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not ready',
      checks: Object.fromEntries(results.map(([name, result]) => [name, result === true])),
      ...(reasons.length > 0 && { reasons: Object.fromEntries(reasons) }),
      channels: channels.map((c) => c.id),
      ...(detail.length > 0 && { detail: Object.fromEntries(detail) }),
    });
  });

  for (const channel of channels) await channel.routes(app, context);
  return app;
}

/**
 * A channel's health for `/readyz`, times as ISO strings. Informational: a
 * platform that stopped delivering does not make this instance unready (the
 * load balancer dropping every instance would only make matters worse).
 */
function healthDetail(health: ChannelHealth): Record<string, unknown> {
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    lastChallengeAt: iso(health.lastChallengeAt),
    lastEventAt: iso(health.lastEventAt),
    webhookValid: health.webhookValid ?? null,
    subscribed: health.subscribed ?? null,
    checkedAt: iso(health.checkedAt),
    ...(health.checkProblem !== undefined && { checkProblem: health.checkProblem }),
    unreadableMessages: health.unreadableMessages,
  };
}

/**
 * Fastify's form of a {@link TrustProxy}. A hop count becomes a function that
 * believes that many hops counted from the socket: Fastify itself treats a
 * number as "trust nothing", because a client that can reach the server
 * directly is then believed too. docs/security.md says to use a count only where the
 * proxies are the only way in, and addresses otherwise.
 */
function fastifyTrustProxy(trustProxy: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (trustProxy === false) return false;
  if (typeof trustProxy === 'number') return (_address, hop) => hop < trustProxy;
  return [...trustProxy];
}
