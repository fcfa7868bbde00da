import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { BotMetrics } from './bot-metrics.js';

/** Where Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/** How `GET /metrics` is protected. */
export interface MetricsRouteOptions {
  /** When set (`METRICS_TOKEN`), a scrape must send `Authorization: Bearer <token>`; otherwise 401. */
  readonly token?: string;
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
 * people are in crisis, so a deployment reachable from outside should set a
 * token; the reverse proxy can also keep the path internal.
 */
export function registerMetricsRoute(app: FastifyInstance, metrics: Pick<BotMetrics, 'exposition' | 'contentType'>, { token }: MetricsRouteOptions = {}): void {
  const required = token !== undefined && token !== '' ? token : undefined;
  app.get(METRICS_PATH, async (request, reply) => {
    if (required !== undefined && !bearerMatches(request.headers.authorization, required)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').header('cache-control', 'no-store').send({ error: 'unauthorised' });
    }
    const body = await metrics.exposition();
    return reply.code(200).header('content-type', metrics.contentType).header('cache-control', 'no-store').send(body);
  });
}
