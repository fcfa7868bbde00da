import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotMetrics } from '../../src/metrics/bot-metrics.js';
import { bearerMatches, isDirectLoopbackRequest, registerMetricsRoute } from '../../src/metrics/metrics-route.js';
import { injectFetch } from '../support/inject-fetch.js';

const TOKEN = 'scrape-token-4f1c9a-of-32-characters';

/** The metrics route on an app called in-process. */
async function serve(token?: string): Promise<{ app: FastifyInstance; call: ReturnType<typeof injectFetch>; metrics: BotMetrics }> {
  const metrics = new BotMetrics({ defaultMetrics: false });
  const app = Fastify();
  registerMetricsRoute(app, metrics, token === undefined ? {} : { token });
  await app.ready();
  return { app, call: injectFetch(app), metrics };
}

describe('GET /metrics', () => {
  describe('without a token', () => {
    let server: Awaited<ReturnType<typeof serve>>;
    beforeAll(async () => {
      server = await serve();
    });
    afterAll(async () => {
      await server.app.close();
      server.metrics.close();
    });

    it('answers the Prometheus text exposition with its content type', async () => {
      server.metrics.messagesOut('telegram', 2);
      const res = await server.call('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await res.text();
      expect(body).toContain('# TYPE ssb_messages_out_total counter');
      expect(body).toContain('ssb_messages_out_total{channel="telegram"} 2');
    });
  });

  describe('with METRICS_TOKEN set', () => {
    let server: Awaited<ReturnType<typeof serve>>;
    beforeAll(async () => {
      server = await serve(TOKEN);
    });
    afterAll(async () => {
      await server.app.close();
      server.metrics.close();
    });

    it('answers 200 with the right bearer token', async () => {
      const res = await server.call('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('ssb_messages_in_total');
    });

    it('answers 401 without a token, with a wrong or longer one, or with another scheme, and shows no metrics', async () => {
      for (const authorization of [undefined, `Bearer ${TOKEN}x`, 'Bearer scrape', `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
        const res = await server.call('/metrics', { headers: authorization === undefined ? {} : { authorization } });
        expect(res.status, String(authorization)).toBe(401);
        expect(res.headers.get('www-authenticate')).toContain('Bearer');
        expect(await res.text()).not.toContain('ssb_');
      }
    });
  });

  describe('isDirectLoopbackRequest', () => {
    it.each([
      ['127.0.0.1', {}, true],
      ['::ffff:127.0.0.1', {}, true],
      ['::1', {}, true],
      ['192.0.2.2', {}, false],
      ['fd00::2', {}, false],
      [undefined, {}, false],
      ['127.0.0.1', { 'x-forwarded-for': '127.0.0.1' }, false],
      ['127.0.0.1', { forwarded: 'for=127.0.0.1' }, false],
    ])('socket %s with headers %j: %s', (remoteAddress, headers, expected) => {
      expect(isDirectLoopbackRequest({ socket: { remoteAddress }, headers })).toBe(expected);
    });
  });

  describe('bearerMatches', () => {
    it('accepts only the exact token after "Bearer"', () => {
      expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
      expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
      expect(bearerMatches(`Bearer ${TOKEN.slice(1)}`, TOKEN)).toBe(false);
      expect(bearerMatches(undefined, TOKEN)).toBe(false);
      expect(bearerMatches([`Bearer ${TOKEN}`], TOKEN)).toBe(false);
    });
  });
});
