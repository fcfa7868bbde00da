import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotApiClient } from '../../../src/channels/telegram/client.js';
import { createTelegramClearer } from '../../../src/channels/telegram/clearer.js';
import { type KeptMessage, MESSAGE_ID_TTL_MS } from '../../../src/core/index.js';
import { FakeTelegramApi } from '../../support/fake-telegram-api.js';

const NOW = 1_800_000_000_000;
const CHAT = { channel: 'telegram', id: '7001' } as const;
const kept = (ids: number[], at = NOW - 60_000): KeptMessage[] => ids.map((id, i) => ({ id: String(id), from: i % 2 === 0 ? 'person' : 'bot', at }));

describe('the Telegram clearer', () => {
  let api: FakeTelegramApi;
  let client: BotApiClient;

  beforeEach(async () => {
    api = await new FakeTelegramApi().start();
    client = new BotApiClient({ token: api.token, apiRoot: api.url });
  });

  afterEach(async () => {
    await client.close();
    await api.close();
  });

  const clearer = () => createTelegramClearer({ api: client, now: () => NOW, retry: { sleep: async () => undefined } });

  it('can delete both sides of a private chat', async () => {
    expect(await clearer().support(CHAT)).toEqual({ kind: 'all' });
  });

  it('deletes in batches of at most 100 ids, every id exactly once', async () => {
    const ids = Array.from({ length: 230 }, (_, i) => 5000 + i);
    const outcome = await clearer().delete(CHAT, kept(ids));
    const calls = api.calls('deleteMessages');
    expect(calls.map((c) => (c.body.message_ids as number[]).length)).toEqual([100, 100, 30]);
    expect(calls.every((c) => c.body.chat_id === 7001)).toBe(true);
    expect(calls.flatMap((c) => c.body.message_ids as number[])).toEqual(ids);
    expect(outcome).toEqual({ deleted: ids.map(String), failed: [] });
  });

  it('never asks Telegram to delete a message 48 hours old or older, and counts it as not deleted', async () => {
    const outcome = await clearer().delete(CHAT, [...kept([1], NOW - MESSAGE_ID_TTL_MS), ...kept([2], NOW - MESSAGE_ID_TTL_MS + 1)]);
    expect(api.calls('deleteMessages').map((c) => c.body.message_ids)).toEqual([[2]]);
    expect(outcome).toEqual({ deleted: ['2'], failed: ['1'] });
  });

  it('fails only the batch Telegram refused, carries on with the next, and retries a 429', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => 100 + i);
    api.failNext('deleteMessages', { status: 400, description: "Bad Request: message can't be deleted" });
    api.failNext('deleteMessages', { status: 429, retryAfter: 1 });
    const outcome = await clearer().delete(CHAT, kept(ids));
    expect(outcome.failed).toEqual(ids.slice(0, 100).map(String));
    expect(outcome.deleted).toEqual(ids.slice(100).map(String));
    expect(api.calls('deleteMessages')).toHaveLength(3);
  });
});
