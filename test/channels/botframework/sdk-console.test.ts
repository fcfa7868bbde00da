import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createBotFrameworkChannel } from '../../../src/channels/botframework/index.js';
import type { InboundEvent } from '../../../src/core/index.js';
import { captureLog, type CapturedLog } from '../../support/captured-log.js';
import { type FakeBotFrameworkConnector, startFakeBotFrameworkConnector } from '../../support/fake-botframework-connector.js';
import { type FakeOpenIdMetadata, startFakeOpenIdMetadata } from '../../support/fake-openid-metadata.js';

const APP_ID = '0b6f5c1e-2d3a-4e8b-9c7d-1a2b3c4d5e6f';
const activity = JSON.parse(readFileSync(new URL('../../fixtures/botframework/webchat-message.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('bad tokens at the authenticated Bot Framework endpoint: refused, and reported through the logger only', () => {
  let openId: FakeOpenIdMetadata;
  let connector: FakeBotFrameworkConnector;
  let app: FastifyInstance;
  let base: string;
  let log: CapturedLog;
  let consoleError: MockInstance;
  let consoleWarn: MockInstance;
  const dispatched: InboundEvent[] = [];

  beforeEach(async () => {
    // Installed before the channel, as a process's console is: anything botbuilder prints lands here.
    consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    openId = await startFakeOpenIdMetadata();
    connector = await startFakeBotFrameworkConnector();
    log = captureLog('debug');
    dispatched.length = 0;
    const channel = createBotFrameworkChannel({ appId: APP_ID, appPassword: 'test-secret', appType: 'MultiTenant', authenticationSettings: openId.authenticationSettings });
    app = Fastify();
    await channel.routes(app, { dispatch: async (event) => void dispatched.push(event), notice: (key) => key, logger: log.logger });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await app.close();
    await Promise.all([openId.close(), connector.close()]);
    vi.restoreAllMocks();
  });

  const tokens: [string, (o: FakeOpenIdMetadata) => string | undefined, string | undefined][] = [
    ['no token', () => undefined, undefined],
    ['a token that is not a JWT', () => 'Bearer not-a-real-token', undefined],
    ['a token signed by another key', (o) => `Bearer ${o.token({ aud: APP_ID }, { key: 'other' })}`, 'string'],
    ['an expired token', (o) => `Bearer ${o.token({ aud: APP_ID, iat: 1_000_000_000, nbf: 1_000_000_000, exp: 1_000_000_600 })}`, 'TokenExpiredError'],
    ['a token naming an unknown key', (o) => `Bearer ${o.token({ aud: APP_ID }, { keyId: 'unknown-key' })}`, undefined],
  ];

  it.each(tokens)('answers 401 to %s, with nothing on the console and one JSON line per log entry', async (_what, authorization, sdkReported) => {
    const header = authorization(openId);
    const response = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(header === undefined ? {} : { authorization: header }) },
      body: JSON.stringify({ ...activity, serviceUrl: connector.url }),
    });
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('');
    expect(dispatched).toEqual([]);
    expect(connector.requests).toEqual([]);

    expect(consoleError).not.toHaveBeenCalled();
    expect(consoleWarn).not.toHaveBeenCalled();
    const entries = log.entries();
    expect(entries).toContainEqual(expect.objectContaining({ level: 'warn', status: 401, msg: 'unauthenticated request refused' }));
    if (sdkReported !== undefined) {
      expect(entries).toContainEqual(expect.objectContaining({ level: 'debug', event: 'botbuilder.console', errors: [sdkReported] }));
    }
    const written = log.raw.join('');
    expect(log.raw.every((line) => line.endsWith('\n') && line.trimEnd().split('\n').length === 1)).toBe(true);
    const token = header?.split(' ')[1];
    if (token !== undefined) expect(written).not.toContain(token);
    expect(written).not.toContain('BEGIN PUBLIC KEY');
    expect(written).not.toContain(openId.publicKeyPem.split('\n')[1]);
    expect(written).not.toMatch(/\n\s+at /);
  });

  it('reaches the signing keys for a JWT, so the cases above exercise botbuilder\'s own checks', async () => {
    await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${openId.token({ aud: APP_ID }, { key: 'other' })}` },
      body: JSON.stringify({ ...activity, serviceUrl: connector.url }),
    });
    expect(openId.requests).toEqual(['/openid', '/keys']);
  });

  it('leaves the console alone outside the channel\'s requests, and restores it when the server closes', async () => {
    console.error('someone else');
    expect(consoleError).toHaveBeenCalledWith('someone else');
    await app.close();
    expect(console.error).toBe(consoleError);
  });
});
