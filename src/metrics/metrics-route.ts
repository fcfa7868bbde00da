import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { isLoopbackAddress } from '../core/loopback.js';
import type { BotMetrics } from './bot-metrics.js';

/** Where Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/** How `GET /metrics` is protected. */
export interface MetricsRouteOptions {
  /** When set (`METRICS_TOKEN`), a scrape must send `Authorization: Bearer <token>`; otherwise 401. */
  readonly token?: string;
  /**
   * Without a token: serve anyone (`METRICS_PUBLIC=true`) rather than only
   * requests made on this machine. Off by default.
   */
  readonly publicWithoutToken?: boolean;
}

/** Headers a reverse proxy adds: their presence means the request came from elsewhere. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'via'] as const;

/**
 * True for a request made on this machine: a loopback socket, and no header
 * saying a proxy relayed it from elsewhere. The socket is read directly, never
 * the client address derived from `TRUST_PROXY`, so no header can make a
 * remote request look local.
 */
export function isDirectLoopbackRequest(raw: Pick<IncomingMessage, 'headers'> & { socket: { remoteAddress?: string | undefined } }): boolean {
  return isLoopbackAddress(raw.socket.remoteAddress) && FORWARDING_HEADERS.every((name) => raw.headers[name] === undefined);
}

/**
 * Compares a presented bearer token with the configured one in constant time.
 * Both are hashed first so the comparison is over equal-length buffers and the
 * token's length does not leak through timing either.
 */
export function bearerMatches(header: string | string[] | undefined, token: string): boolean {
  if (typeof header !== 'string') return false;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  const given = match?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  const equal = timingSafeEqual(digest(given), digest(token));
  return equal && given.length > 0;
}

/**
 * Registers `GET /metrics` in Prometheus text format. The exposition holds no
 * personal data, but it does reveal how busy the service is and how many
 * people are in crisis. So with a token, every scrape must present it;
 * without one, only requests made on this machine are served (403 otherwise),
 * unless the operator explicitly opened it with `publicWithoutToken`.
 */
export function registerMetricsRoute(
  app: FastifyInstance,
  metrics: Pick<BotMetrics, 'exposition' | 'contentType'>,
  { token, publicWithoutToken = false }: MetricsRouteOptions = {},
): void {
  const required = token !== undefined && token !== '' ? token : undefined;
  app.get(METRICS_PATH, async (request, reply) => {
    if (required !== undefined && !bearerMatches(request.headers.authorization, required)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').header('cache-control', 'no-store').send({ error: 'unauthorised' });
    }
    if (required === undefined && !publicWithoutToken && !isDirectLoopbackRequest(request.raw)) {
      return reply.code(403).header('cache-control', 'no-store').send({ error: 'without METRICS_TOKEN, metrics are served only to requests made on this machine' });
    }
    const body = await metrics.exposition();
    return reply.code(200).header('content-type', metrics.contentType).header('cache-control', 'no-store').send(body);
  });
}
