import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBotFrameworkChannel, createMemoryReferenceStore, type ConversationReferenceStore } from '../../../src/channels/botframework/index.js';
import type { ChatClearer, KeptMessage } from '../../../src/core/index.js';
import { startFakeBotFrameworkConnector, type FakeBotFrameworkConnector } from '../../support/fake-botframework-connector.js';

const key = (id: string) => ({ channel: 'botframework', id }) as const;

describe('the Bot Framework clearer', () => {
  let connector: FakeBotFrameworkConnector;
  let references: ConversationReferenceStore;
  let clearer: ChatClearer;

  beforeEach(async () => {
    connector = await startFakeBotFrameworkConnector();
    references = createMemoryReferenceStore();
    const channel = createBotFrameworkChannel({ allowUnauthenticated: true, references, retry: { sleep: async () => undefined } });
    clearer = channel.clearer as ChatClearer;
    await references.write('botframework:webchat:conv-1', {
      reference: { channelId: 'webchat', serviceUrl: connector.url, conversation: { id: 'conv-1', isGroup: false, conversationType: 'personal', name: '' }, bot: { id: 'bot', name: 'bot' }, user: { id: 'u1', name: '' } },
    });
  });

  afterEach(async () => {
    await connector.close();
  });

  it('deletes the bot\'s activities on Teams, Web Chat, Direct Line and the Emulator, and nothing on Messenger or another channel, naming it', async () => {
    for (const channelId of ['msteams', 'webchat', 'directline', 'emulator']) expect(await clearer.support(key(`${channelId}:c`)), channelId).toEqual({ kind: 'bot' });
    expect(await clearer.support(key('facebook:123-456'))).toEqual({ kind: 'none', platform: 'Messenger' });
    expect(await clearer.support(key('slack:T1:C1'))).toEqual({ kind: 'none', platform: 'Slack' });
  });

  it("deletes exactly the bot's own activity ids, one request each, and counts the person's as not deleted", async () => {
    const messages: KeptMessage[] = [
      { id: 'a-1', from: 'bot', at: 1 },
      { id: 'conv-1|7', from: 'person', at: 2 },
      { id: 'a-2', from: 'bot', at: 3 },
    ];
    const outcome = await clearer.delete(key('webchat:conv-1'), messages);
    expect(connector.deleted()).toEqual([
      { conversationId: 'conv-1', activityId: 'a-1' },
      { conversationId: 'conv-1', activityId: 'a-2' },
    ]);
    expect(outcome).toEqual({ deleted: ['a-1', 'a-2'], failed: ['conv-1|7'] });
  });

  it('reports an activity the connector refused as not deleted, and goes on with the rest', async () => {
    connector.failNext({ status: 404, code: 'NotFound' });
    const outcome = await clearer.delete(key('webchat:conv-1'), [
      { id: 'a-1', from: 'bot', at: 1 },
      { id: 'a-2', from: 'bot', at: 2 },
    ]);
    expect(outcome).toEqual({ deleted: ['a-2'], failed: ['a-1'] });
  });

  it('deletes nothing on Messenger, or without a stored conversation reference', async () => {
    expect(await clearer.delete(key('facebook:1-2'), [{ id: 'm', from: 'bot', at: 1 }])).toEqual({ deleted: [], failed: ['m'] });
    expect(await clearer.delete(key('webchat:unknown'), [{ id: 'x', from: 'bot', at: 1 }])).toEqual({ deleted: [], failed: ['x'] });
    expect(connector.requests).toEqual([]);
  });
});
