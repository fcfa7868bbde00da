import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter, ChannelContext } from '../../../src/channels/channel.js';
import { createTelegramChannel } from '../../../src/channels/telegram/index.js';
import { silentLogger, type InboundEvent } from '../../../src/core/index.js';
import { FakeTelegramApi } from '../../support/fake-telegram-api.js';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../fixtures/telegram/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

const running: { channel: ChannelAdapter; api: FakeTelegramApi }[] = [];

afterEach(async () => {
  for (const { channel, api } of running.splice(0)) {
    await channel.stop?.();
    await api.close();
  }
});

async function startPolling(options: { failDispatchTimes?: number } = {}) {
  const api = await new FakeTelegramApi().start();
  api.setWebhookUrl('https://bot.example.police.uk/webhooks/telegram');
  const channel = createTelegramChannel({ token: api.token, apiRoot: api.url, mode: 'polling', pollingTimeoutSeconds: 5 });
  const events: InboundEvent[] = [];
  let failures = options.failDispatchTimes ?? 0;
  const context: ChannelContext = {
    async dispatch(event) {
      events.push(event);
      if (failures-- > 0) throw new Error('engine unavailable');
      await channel.sender.send(event.key, [{ text: 'Thank you for telling me.', choices: [{ id: 'next', label: 'Next' }], links: [] }]);
    },
    notice: () => 'Please send me a private message.',
    logger: silentLogger,
  };
  running.push({ channel, api });
  await channel.start?.(context);
  return { api, channel, events };
}

describe('Telegram polling mode', () => {
  it('deletes the webhook, keeping pending updates, and then long-polls for the bot\'s update kinds', async () => {
    const { api } = await startPolling();
    const [poll] = await api.waitFor('getUpdates');
    expect(api.requests.map((request) => request.method).slice(0, 3)).toEqual(['getMe', 'deleteWebhook', 'getUpdates']);
    expect(api.calls('deleteWebhook')[0]?.body).toEqual({ drop_pending_updates: false });
    expect(poll?.body).toMatchObject({ timeout: 5, offset: 0, allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'] });
  });

  it('feeds polled updates through the same translation and confirms them with the next offset', async () => {
    const { api, events } = await startPolling();
    await api.waitFor('getUpdates');
    api.pushUpdates(fixture('private-start'), fixture('callback-query'), fixture('group-text'), fixture('edited-message'));
    await api.waitFor('sendMessage', 3);
    expect(events.map((event) => event.payload)).toEqual([{ type: 'start' }, { type: 'choice', choiceId: 'age.under18' }]);
    expect(events.map((event) => event.messageId)).toEqual(['734512003', '734512006']);
    expect(api.calls('answerCallbackQuery')).toHaveLength(1);
    expect(api.calls('sendMessage').map((send) => send.body.text)).toEqual([
      'Thank you for telling me.',
      'Thank you for telling me.',
      'Please send me a private message.',
    ]);
    const polls = await api.waitFor('getUpdates', 2);
    expect(polls[1]?.body).toMatchObject({ offset: 734512020 });
  });

  it('fetches an update again when the engine did not accept it', async () => {
    const { api, events } = await startPolling({ failDispatchTimes: 1 });
    await api.waitFor('getUpdates');
    api.pushUpdates(fixture('private-text'));
    await api.waitFor('sendMessage', 1, 10_000);
    expect(events.map((event) => event.messageId)).toEqual(['734512001', '734512001']);
    expect(api.calls('sendMessage')).toHaveLength(1);
  });

  it('stops polling on stop()', async () => {
    const { api, channel } = await startPolling();
    await api.waitFor('getUpdates');
    const started = Date.now();
    await channel.stop?.();
    expect(Date.now() - started).toBeLessThan(2000);
    const polls = api.calls('getUpdates').length;
    api.pushUpdates(fixture('private-text'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(api.calls('getUpdates')).toHaveLength(polls);
    expect(api.calls('sendMessage')).toEqual([]);
  });
});
