import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/create-app.js';
import { readConfig } from '../../src/config/environment.js';
import { ConfigError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { type FakeXApi, startFakeXApi, xChannelEnv } from '../support/fake-x-api.js';

const FORCE_ACCOUNT = '4337869213';
/** The client's real address, as the reverse proxy appends it to X-Forwarded-For. */
const REAL_CLIENT = '203.0.113.7';

describe('TRUST_PROXY and a client-written X-Forwarded-For (the whole app on 127.0.0.1)', () => {
  let x: FakeXApi;
  let app: App | undefined;
  const handlersFile = join(tmpdir(), `trust-proxy-handlers-${process.pid}.json`);

  beforeEach(async () => {
    x = await startFakeXApi({ accountId: FORCE_ACCOUNT });
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await x.close();
    rmSync(handlersFile, { force: true });
  });

  async function start(trustProxy: string): Promise<string> {
    const config = readConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      TRUST_PROXY: trustProxy,
      ...xChannelEnv(x, { accountId: FORCE_ACCOUNT }),
      HANDLERS_FILE: handlersFile,
    });
    app = await createApp(config, { logger: silentLogger });
    return app.listen();
  }

  /**
   * Fifteen challenge requests from one client that writes a different
   * address into X-Forwarded-For each time; the proxy appends the real one.
   * The challenge route allows ten a minute per client address.
   */
  async function spoofedChallenges(base: string): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 1; i <= 15; i++) {
      const response = await fetch(`${base}/webhooks/twitter?crc_token=challenge_string`, {
        headers: { 'x-forwarded-for': `198.51.100.${i}, ${REAL_CLIENT}` },
      });
      statuses.push(response.status);
    }
    return statuses;
  }

  it('refuses TRUST_PROXY=true, which would let a client escape per-address limits with its own X-Forwarded-For, and says what to set', () => {
    let refusal: unknown;
    try {
      readConfig({ TRUST_PROXY: 'true' });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ConfigError);
    expect((refusal as Error).message).toMatch(/TRUST_PROXY=1/);
    expect((refusal as Error).message).toMatch(/addresses/);
  });

  it.each([
    { what: 'one proxy hop', setting: '1', anotherClient: 200 },
    { what: "the proxy's address", setting: '127.0.0.1', anotherClient: 200 },
    { what: "the proxy's range", setting: '127.0.0.0/8, 10.0.0.0/8', anotherClient: 200 },
    { what: 'no proxy (every request counts as the socket address)', setting: 'false', anotherClient: 429 },
  ])('with $what, a client writing its own X-Forwarded-For is still limited as one address', async ({ setting, anotherClient }) => {
    const base = await start(setting);
    expect(await spoofedChallenges(base)).toEqual([...Array<number>(10).fill(200), ...Array<number>(5).fill(429)]);
    const other = await fetch(`${base}/webhooks/twitter?crc_token=challenge_string`, { headers: { 'x-forwarded-for': '203.0.113.8' } });
    expect(other.status).toBe(anotherClient);
  });
});
