import { readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/create-app.js';
import type { ChannelAdapter, ChannelContext } from '../../src/channels/channel.js';
import { readConfig } from '../../src/config/environment.js';
import { ConfigError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { createServer } from '../../src/server/create-server.js';
import { DEFAULT_SERVER_TIMEOUTS, fastifyTimeoutOptions } from '../../src/server/server-timeouts.js';
import { dripRequest } from '../support/slow-client.js';

/** A GET that reads the whole response; resolves with what arrived and how long it took, or the error that ended it. */
function timedGet(url: string): Promise<{ chunks: string[]; ms: number; error?: string }> {
  const started = Date.now();
  const chunks: string[] = [];
  return new Promise((resolve) => {
    const request = httpRequest(url, (response) => {
      response.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
      response.on('end', () => resolve({ chunks, ms: Date.now() - started }));
      response.on('error', (error) => resolve({ chunks, ms: Date.now() - started, error: error.message }));
    });
    request.on('error', (error) => resolve({ chunks, ms: Date.now() - started, error: error.message }));
    request.end();
  });
}

describe('server time-outs against a slow client (the whole app on 127.0.0.1)', () => {
  let app: App | undefined;
  const handlersFile = join(tmpdir(), `timeouts-handlers-${process.pid}.json`);

  afterEach(async () => {
    await app?.close();
    app = undefined;
    rmSync(handlersFile, { force: true });
  });

  async function start(env: Record<string, string>): Promise<string> {
    app = await createApp(readConfig({ PORT: '0', HOST: '127.0.0.1', HANDLERS_FILE: handlersFile, ...env }), { logger: silentLogger });
    return app.listen();
  }

  it.each([
    {
      what: 'a request whose body arrives one byte at a time is answered 408 and closed',
      env: { REQUEST_TIMEOUT_SECONDS: '2', HEADERS_TIMEOUT_SECONDS: '1' },
      prefix: 'POST /console/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n',
      drip: 'username=someone&password=',
      closedAfterMs: { min: 1_900, max: 4_500 },
      answer: /^HTTP\/1\.1 408 /,
    },
    {
      what: 'a connection whose headers arrive one byte at a time is closed',
      env: { REQUEST_TIMEOUT_SECONDS: '5', HEADERS_TIMEOUT_SECONDS: '1' },
      prefix: 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n',
      drip: 'X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      closedAfterMs: { min: 900, max: 3_000 },
      answer: /^(HTTP\/1\.1 408 |$)/,
    },
  ])('$what', async ({ env, prefix, drip, closedAfterMs: { min, max }, answer }) => {
    const base = await start(env);
    const result = await dripRequest(base, { prefix, drip, intervalMs: 250, giveUpMs: 8_000 });
    expect(result.closedAfterMs, 'the slow client was still connected after 8 s').toBeDefined();
    expect(result.closedAfterMs).toBeGreaterThanOrEqual(min);
    expect(result.closedAfterMs).toBeLessThan(max);
    expect(result.received).toMatch(answer);
  });

  it("keeps a signed-in handler's live event stream open and delivering past the request time-out", async () => {
    const base = await start({ REQUEST_TIMEOUT_SECONDS: '1', HEADERS_TIMEOUT_SECONDS: '1' });
    const password = 'a long enough passphrase';
    await app!.handoff.accounts.add('sam.jones', password);
    const login = await fetch(`${base}/console/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'sam.jones', password }).toString(),
    });
    expect(login.status).toBe(303);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

    let text = '';
    let closed = false;
    const stream = httpRequest(`${base}/console/api/events`, { headers: { cookie } }, (response) => {
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('close', () => (closed = true));
    });
    stream.end();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await app!.handoff.events.publish({ type: 'queue-changed' });
    const deadline = Date.now() + 2_000;
    while (!text.includes('event: queue') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    stream.destroy();
    expect(text).toContain(': connected');
    expect(text).toContain('event: queue');
    expect(closed).toBe(false);
  });
});

describe('server time-outs and long-lived responses (createServer on 127.0.0.1)', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  /** A stream that writes a line every 200 ms for 2.5 s, like the console's heartbeat; and a route that never answers. */
  const slowRoutes: ChannelAdapter = {
    id: 'terminal',
    sender: { send: async () => undefined },
    routes(server) {
      server.get('/stream', (_request, reply) => {
        reply.hijack();
        reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
        let beats = 0;
        const timer = setInterval(() => {
          reply.raw.write(`: heartbeat ${++beats}\n\n`);
          if (beats === 12) {
            clearInterval(timer);
            reply.raw.end();
          }
        }, 200);
        reply.raw.once('close', () => clearInterval(timer));
      });
      server.get('/silent', () => new Promise(() => undefined));
    },
  };
  const context: ChannelContext = { dispatch: async () => undefined, notice: (key) => key, logger: silentLogger };

  async function start(): Promise<string> {
    app = await createServer({ channels: [slowRoutes], context, logger: silentLogger, timeouts: { requestMs: 500, headersMs: 500, idleMs: 1_000 } });
    return app.listen({ host: '127.0.0.1', port: 0 });
  }

  it('keeps a response stream open well past the request and idle time-outs while it keeps writing', async () => {
    const base = await start();
    const result = await timedGet(`${base}/stream`);
    expect(result.error).toBeUndefined();
    expect(result.chunks.join('')).toContain(': heartbeat 12');
    expect(result.ms).toBeGreaterThan(2_000);
  });

  it('closes a connection on which nothing is sent for the idle time-out', async () => {
    const base = await start();
    const result = await timedGet(`${base}/silent`);
    expect(result.error).toBeDefined();
    expect(result.ms).toBeGreaterThanOrEqual(900);
    expect(result.ms).toBeLessThan(2_500);
  });

  it('puts the time-outs on the Node server, checked at least every second', async () => {
    app = await createServer({ channels: [], context, logger: silentLogger });
    expect(app.server.requestTimeout).toBe(30_000);
    expect(app.server.headersTimeout).toBe(10_000);
    expect(app.server.timeout).toBe(60_000);
    expect(fastifyTimeoutOptions().http.connectionsCheckingInterval).toBeLessThanOrEqual(1_000);
  });

  it('refuses a headers time-out longer than the request time-out', () => {
    expect(() => fastifyTimeoutOptions({ requestMs: 1_000, headersMs: 2_000 })).toThrow(ConfigError);
    expect(() => fastifyTimeoutOptions({ requestMs: 0 })).toThrow(ConfigError);
  });
});

describe('time-out settings', () => {
  /** The default column of a variable's row in the configuration reference's table. */
  function documentedDefault(name: string): string | undefined {
    const reference = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const row = reference.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
    return row?.split('|')[2]?.trim().replace(/`/g, '');
  }

  it('defaults to what the configuration reference says: request 30 s, headers 10 s, idle 60 s', () => {
    const { timeouts } = readConfig({});
    expect(timeouts).toEqual(DEFAULT_SERVER_TIMEOUTS);
    expect(documentedDefault('REQUEST_TIMEOUT_SECONDS')).toBe(String(timeouts.requestMs / 1000));
    expect(documentedDefault('HEADERS_TIMEOUT_SECONDS')).toBe(String(timeouts.headersMs / 1000));
    expect(documentedDefault('IDLE_TIMEOUT_SECONDS')).toBe(String(timeouts.idleMs / 1000));
  });

  it('refuses headers longer than the request, and an idle time-out the console heartbeat would not survive', () => {
    expect(() => readConfig({ REQUEST_TIMEOUT_SECONDS: '5', HEADERS_TIMEOUT_SECONDS: '10' })).toThrow(/HEADERS_TIMEOUT_SECONDS/);
    expect(() => readConfig({ IDLE_TIMEOUT_SECONDS: '10' })).toThrow(/IDLE_TIMEOUT_SECONDS/);
  });
});
