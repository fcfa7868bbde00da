import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/create-app.js';
import { readConfig } from '../../src/config/environment.js';
import type { Logger } from '../../src/core/logger.js';
import { silentLogger } from '../../src/core/logger.js';
import { captureLog } from '../support/captured-log.js';

const TOKEN = 'a-scrape-token-of-32-characters!';

describe('GET /metrics exposure (the whole app on 127.0.0.1)', () => {
  let app: App | undefined;
  const handlersFile = join(tmpdir(), `metrics-exposure-handlers-${process.pid}.json`);

  afterEach(async () => {
    await app?.close();
    app = undefined;
    rmSync(handlersFile, { force: true });
  });

  async function start(env: Record<string, string> = {}, logger: Logger = silentLogger): Promise<string> {
    app = await createApp(readConfig({ PORT: '0', HOST: '127.0.0.1', HANDLERS_FILE: handlersFile, ...env }), { logger });
    return app.listen();
  }

  it.each([
    ['x-forwarded-for', '203.0.113.7'],
    ['forwarded', 'for=203.0.113.7;proto=https'],
    ['x-real-ip', '203.0.113.7'],
    ['x-forwarded-host', 'bot.example.police.uk'],
    ['x-forwarded-proto', 'https'],
    ['via', '1.1 proxy'],
  ])('without a token, is not served to a visitor relayed by a reverse proxy on the same host (%s)', async (header, value) => {
    const base = await start();
    const response = await fetch(`${base}/metrics`, { headers: { [header]: value } });
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('ssb_');
  });

  it('without a token, is served to a scrape made on this machine', async () => {
    const base = await start();
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('ssb_risk_detections_total');
  });

  it('with METRICS_PUBLIC=true, is served to anyone, and the start-up log warns about it', async () => {
    const log = captureLog('info');
    const base = await start({ METRICS_PUBLIC: 'true' }, log.logger);
    const response = await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(response.status).toBe(200);
    expect(log.entries()).toContainEqual(expect.objectContaining({ level: 'warn', event: 'config.unsafe', setting: 'METRICS_PUBLIC=true' }));
  });

  it('with a token, needs it from everywhere, loopback included, and warns about nothing', async () => {
    const log = captureLog('info');
    const base = await start({ METRICS_TOKEN: TOKEN, METRICS_PUBLIC: 'true' }, log.logger);
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const relayed = await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.7', authorization: `Bearer ${TOKEN}` } });
    expect(relayed.status).toBe(200);
    expect(log.entries().filter((entry) => entry.level === 'warn')).toEqual([]);
  });
});
