import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../../src/app/create-app.js';
import { readConfig } from '../../../src/config/environment.js';
import { messagesIn } from '../../support/app-metrics.js';
import { captureLog } from '../../support/captured-log.js';
import { type FakeBotFrameworkConnector, startFakeBotFrameworkConnector } from '../../support/fake-botframework-connector.js';

const activity = JSON.parse(readFileSync(new URL('../../fixtures/botframework/webchat-message.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('unauthenticated Bot Framework (trial mode) and the serviceUrl a caller names (the whole app on 127.0.0.1)', () => {
  let connector: FakeBotFrameworkConnector;
  let app: App;
  let base: string;
  let log: ReturnType<typeof captureLog>;
  const handlersFile = join(tmpdir(), `unauthenticated-bf-handlers-${process.pid}.json`);

  beforeEach(async () => {
    connector = await startFakeBotFrameworkConnector();
    log = captureLog('info');
    app = await createApp(
      readConfig({ PORT: '0', HOST: '127.0.0.1', BOTFRAMEWORK_ALLOW_UNAUTHENTICATED: 'true', HANDLERS_FILE: handlersFile }),
      { logger: log.logger },
    );
    base = await app.listen();
  });

  afterEach(async () => {
    await app.close();
    await connector.close();
    rmSync(handlersFile, { force: true });
  });

  const post = (serviceUrl: string | undefined) =>
    fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...activity, serviceUrl }),
    });

  it.each([
    // 0.0.0.0 is not a loopback address, but connecting to it reaches this machine: here, the fake connector.
    ['an unspecified address that reaches this machine', (c: FakeBotFrameworkConnector) => c.url.replace('127.0.0.1', '0.0.0.0')],
    ['a host on the internet', () => 'https://attacker.example/'],
    ['a private address', () => 'http://10.0.0.5/'],
    ["Microsoft's own connector, which only an authenticated request may name", () => 'https://smba.trafficmanager.net/emea/'],
    ['no service URL at all', () => undefined],
  ])('refuses an activity whose serviceUrl is %s with 403, and neither dispatches nor sends anything', async (_what, serviceUrl) => {
    const response = await post(serviceUrl(connector));
    expect(response.status).toBe(403);
    expect(await messagesIn(app, 'botframework')).toBe(0);
    expect(connector.requests).toEqual([]);
  });

  it('still serves an activity whose serviceUrl is on this machine (the Emulator)', async () => {
    const response = await post(connector.url);
    expect(response.status).toBe(200);
    expect(await messagesIn(app, 'botframework')).toBe(1);
    expect(connector.activities().length).toBeGreaterThan(0);
  });

  it('warns at start-up that Bot Framework requests are not authenticated', () => {
    expect(log.entries()).toContainEqual(
      expect.objectContaining({ level: 'warn', event: 'config.unsafe', setting: 'BOTFRAMEWORK_ALLOW_UNAUTHENTICATED=true' }),
    );
  });
});
