import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter, ChannelContext } from '../../src/channels/channel.js';
import { silentLogger } from '../../src/core/logger.js';
import { createServer, type ReadinessCheck } from '../../src/server/create-server.js';
import { injectFetch } from '../support/inject-fetch.js';

const context: ChannelContext = { dispatch: async () => undefined, notice: (key) => key, logger: silentLogger };

/** A minimal channel with one JSON route, to exercise the server's own body handling. */
const jsonChannel = (seen: unknown[]): ChannelAdapter => ({
  id: 'terminal',
  sender: { send: async () => undefined },
  routes(app) {
    app.post('/json', async (request) => {
      seen.push(request.body);
      return { ok: true };
    });
  },
});

describe('createServer', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  /** The server in-process: a fetch-shaped call to it, no socket needed. */
  async function start(readiness: ReadinessCheck[] = [], seen: unknown[] = []) {
    app = await createServer({ channels: [jsonChannel(seen)], context, logger: silentLogger, readiness });
    return injectFetch(app);
  }

  it('answers /healthz while the process is alive', async () => {
    const call = await start();
    const res = await call('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 when every check passes and 503 when one fails', async () => {
    let storeUp = true;
    const call = await start([{ name: 'store', check: async () => storeUp }]);
    let res = await call('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready', checks: { store: true }, channels: ['terminal'] });
    storeUp = false;
    res = await call('/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'not ready', checks: { store: false } });
  });

  it('says on /readyz why a check is not ready, when the check gives a reason', async () => {
    const call = await start([
      { name: 'store', check: async () => true },
      { name: 'channel:console', check: async () => ({ ready: false, reason: 'getMe failed: the Bot API answered 502' }) },
    ]);
    const res = await call('/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'not ready',
      checks: { store: true, 'channel:console': false },
      reasons: { 'channel:console': 'getMe failed: the Bot API answered 502' },
      channels: ['terminal'],
    });
  });

  it('refuses bodies over 256 KB with 413 and malformed JSON with 400, before any channel code', async () => {
    const seen: unknown[] = [];
    const call = await start([], seen);
    const big = JSON.stringify({ text: 'x'.repeat(300 * 1024) });
    const post = (body: string) => call('/json', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post(big)).status).toBe(413);
    expect((await post('{"text": ')).status).toBe(400);
    expect((await post('{"text":"hi"}')).status).toBe(200);
    expect(seen).toEqual([{ text: 'hi' }]);
  });
});
