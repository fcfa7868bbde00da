import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BotApiClient } from '../../../src/channels/telegram/client.js';
import { isBlockedByUser, TelegramApiError, TelegramNetworkError, toDeliveryError } from '../../../src/channels/telegram/errors.js';
import { DeliveryError } from '../../../src/core/errors.js';
import { FakeTelegramApi } from '../../support/fake-telegram-api.js';

const apis: FakeTelegramApi[] = [];
const clients: BotApiClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const api of apis.splice(0)) await api.close();
});

async function start(options: { pathPrefix?: string; root?: (api: FakeTelegramApi) => string; timeoutMs?: number } = {}) {
  const api = await new FakeTelegramApi(options.pathPrefix === undefined ? {} : { pathPrefix: options.pathPrefix }).start();
  apis.push(api);
  const client = new BotApiClient({
    token: api.token,
    apiRoot: options.root ? options.root(api) : api.url,
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  });
  clients.push(client);
  return { api, client };
}

/** Everything an error shows when logged or serialised, own properties and cause included. */
function everything(error: unknown): string {
  const seen = new Set<unknown>();
  const dump = (value: unknown): string => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return String(value);
    seen.add(value);
    const own = Object.getOwnPropertyNames(value).map((name) => `${name}=${dump((value as Record<string, unknown>)[name])}`);
    return `${String(value)} {${own.join(', ')}} cause=${dump((value as { cause?: unknown }).cause)}`;
  };
  return dump(error);
}

async function failureOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

describe('BotApiClient', () => {
  it('posts JSON with its length to <root>bot<token>/<method>, over reused connections', async () => {
    const { api, client } = await start();
    const keyboard = { inline_keyboard: [[{ text: 'Under 18', callback_data: 'age.under18' }]] };
    for (let n = 0; n < 5; n++) {
      const message = await client.sendMessage(5012345678, `Message ${n} – pôle`, { reply_markup: keyboard });
      expect(message).toMatchObject({ chat: { id: 5012345678, type: 'private' }, text: `Message ${n} – pôle` });
      expect(typeof message.message_id).toBe('number');
    }
    await expect(client.answerCallbackQuery('2158713694376429317')).resolves.toBe(true);

    const sends = api.calls('sendMessage');
    expect(sends).toHaveLength(5);
    expect(sends[0]).toMatchObject({
      httpMethod: 'POST',
      path: `/bot${api.token}/sendMessage`,
      encoding: 'json',
      authorised: true,
      body: { chat_id: 5012345678, text: 'Message 0 – pôle', reply_markup: keyboard },
    });
    expect(sends[0]?.headers['content-type']).toBe('application/json');
    expect(Number(sends[0]?.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(sends[0]?.body)));
    expect(api.calls('answerCallbackQuery')[0]?.body).toEqual({ callback_query_id: '2158713694376429317' });
    // undici may open a second connection while the first is finishing its answer; never one per call.
    expect(api.connections).toBeLessThanOrEqual(2);
  });

  it('keeps its connections across concurrent calls instead of opening one per call', async () => {
    const { api, client } = await start();
    const rounds = async () => {
      for (let round = 0; round < 5; round++) {
        await Promise.all([1, 2, 3, 4].map((n) => client.sendMessage(n, 'hello')));
      }
    };
    await rounds();
    expect(api.calls('sendMessage')).toHaveLength(20);
    const opened = api.connections;
    expect(opened).toBeLessThanOrEqual(8);
    await rounds();
    expect(api.calls('sendMessage')).toHaveLength(40);
    expect(api.connections).toBe(opened);
  });

  it.each([
    ['/telegram', (api: FakeTelegramApi) => api.url],
    ['/telegram', (api: FakeTelegramApi) => `${api.url}/`],
    ['/a/b', (api: FakeTelegramApi) => `${api.url}/`],
  ])('works with an API root under the path %s', async (pathPrefix, root) => {
    const { api, client } = await start({ pathPrefix, root });
    await expect(client.sendMessage(42, 'hi')).resolves.toMatchObject({ text: 'hi' });
    expect(api.calls('sendMessage')[0]?.path).toBe(`${pathPrefix}/bot${api.token}/sendMessage`);
  });

  it('maps 429 to a retryable failure with Telegram\'s wait, keeping retry_after', async () => {
    const { api, client } = await start();
    api.failNext('sendMessage', { status: 429, retryAfter: 7 });
    const error = await failureOf(client.sendMessage(42, 'hi'));
    expect(error).toBeInstanceOf(TelegramApiError);
    expect(error).toMatchObject({ method: 'sendMessage', code: 429, parameters: { retry_after: 7 } });
    const delivery = toDeliveryError(error, 'sendMessage');
    expect(delivery.retryAfterMs).toBe(7000);
    expect(delivery.permanent).toBe(false);
  });

  it('maps 403 (blocked) and 400 chat not found to permanent failures, other 400s and 500s to retryable ones', async () => {
    const { api, client } = await start();
    api.failNext('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    api.failNext('sendMessage', { status: 400, description: 'Bad Request: chat not found' });
    api.failNext('sendMessage', { status: 400, description: 'Bad Request: message text is empty' });
    api.failNext('sendMessage', { status: 500 });
    const [blocked, gone, malformed, broken] = await Promise.all([1, 2, 3, 4].map(async () => toDeliveryError(await failureOf(client.sendMessage(42, 'hi')), 'sendMessage')));
    expect(blocked).toBeInstanceOf(DeliveryError);
    expect(blocked).toMatchObject({ permanent: true, retryAfterMs: undefined });
    expect(isBlockedByUser(blocked)).toBe(true);
    expect(blocked?.cause).toMatchObject({ code: 403, description: 'Forbidden: bot was blocked by the user' });
    expect(gone).toMatchObject({ permanent: true });
    expect(isBlockedByUser(gone)).toBe(false);
    expect(malformed).toMatchObject({ permanent: false, retryAfterMs: undefined });
    expect(broken).toMatchObject({ permanent: false, retryAfterMs: undefined });
    expect(broken?.cause).toMatchObject({ code: 500 });
  });

  it('reports an answer that is not Telegram\'s JSON by its status', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new BotApiClient({ token: '1:secret-token', apiRoot: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      clients.push(client);
      const error = await failureOf(client.sendMessage(42, 'hi'));
      expect(error).toMatchObject({ name: 'TelegramApiError', code: 502 });
      expect(toDeliveryError(error, 'sendMessage')).toMatchObject({ permanent: false, retryAfterMs: undefined });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('maps a refused connection to a retryable failure that keeps ECONNREFUSED and never shows the token or the message', async () => {
    const api = await new FakeTelegramApi().start();
    const root = api.url;
    await api.close();
    const client = new BotApiClient({ token: api.token, apiRoot: root });
    clients.push(client);
    const error = await failureOf(client.sendMessage(5012345678, 'my secret words'));
    expect(error).toBeInstanceOf(TelegramNetworkError);
    expect(error).toMatchObject({ method: 'sendMessage', code: 'ECONNREFUSED' });
    const delivery = toDeliveryError(error, 'sendMessage');
    expect(delivery).toMatchObject({ permanent: false, retryAfterMs: undefined });
    expect(delivery.cause).toMatchObject({ name: 'TelegramNetworkError', code: 'ECONNREFUSED' });
    for (const shown of [everything(error), everything(delivery), JSON.stringify(delivery, Object.getOwnPropertyNames(delivery))]) {
      expect(shown).not.toContain(api.token);
      expect(shown).not.toContain(api.token.split(':')[1]);
      expect(shown).not.toContain('5012345678');
      expect(shown).not.toContain('my secret words');
    }
  });

  it('never shows the token, chat id or text in an API error either', async () => {
    const { api, client } = await start();
    api.failNext('sendMessage', { status: 400, description: 'Bad Request: chat not found' });
    const error = await failureOf(client.sendMessage(5012345678, 'my secret words'));
    const wrongToken = new BotApiClient({ token: '999:not-the-right-token', apiRoot: api.url });
    clients.push(wrongToken);
    const unauthorised = await failureOf(wrongToken.sendMessage(5012345678, 'my secret words'));
    expect(unauthorised).toMatchObject({ code: 401 });
    for (const shown of [everything(error), everything(toDeliveryError(error, 'sendMessage')), everything(unauthorised)]) {
      expect(shown).not.toContain(api.token.split(':')[1]);
      expect(shown).not.toContain('not-the-right-token');
      expect(shown).not.toContain('5012345678');
      expect(shown).not.toContain('my secret words');
    }
  });

  it('gives up on a request that stalls past its time-out, as a retryable network failure', async () => {
    const { api, client } = await start({ timeoutMs: 200 });
    const release = api.hold('sendMessage');
    const error = await failureOf(client.sendMessage(42, 'hi'));
    release();
    expect(error).toMatchObject({ name: 'TelegramNetworkError', code: 'ETIMEDOUT' });
    expect(toDeliveryError(error, 'sendMessage').permanent).toBe(false);
    // The client still works afterwards.
    await expect(client.sendMessage(42, 'again')).resolves.toMatchObject({ text: 'again' });
  });

  it('close() ends calls in flight, refuses new ones and drops its connections', async () => {
    const { api, client } = await start();
    await client.sendMessage(42, 'warm up');
    const release = api.hold('sendMessage');
    const inFlight = failureOf(client.sendMessage(42, 'held'));
    await api.waitFor('sendMessage', 2);
    await client.close();
    expect(await inFlight).toMatchObject({ name: 'TelegramNetworkError' });
    expect(await failureOf(client.answerCallbackQuery('1'))).toMatchObject({ name: 'TelegramNetworkError', code: 'ERR_CLIENT_CLOSED' });
    release();
  });

  it('refuses an API root that is not http or https', () => {
    expect(() => new BotApiClient({ token: '1:abc', apiRoot: 'ftp://example.org/' })).toThrow(/http or https/);
    expect(() => new BotApiClient({ token: '1:abc', apiRoot: 'not a url' })).toThrow(/not a valid URL/);
    expect(() => new BotApiClient({ token: '', apiRoot: 'https://api.telegram.org' })).toThrow(/token/);
  });
});
