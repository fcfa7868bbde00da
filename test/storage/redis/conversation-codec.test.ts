import { describe, expect, it } from 'vitest';
import type { StoredConversation } from '../../../src/core/store.js';
import { decodeConversation, encodeConversation, UnreadableConversationError } from '../../../src/storage/redis/conversation-codec.js';
import { createHarness } from '../../support/bot-harness.js';

/** A real record: what the engine stores after a short conversation. */
async function storedAfter(...messages: string[]): Promise<StoredConversation> {
  const h = await createHarness();
  for (const text of messages) await h.say('codec', text);
  const stored = await h.store.inner.read('terminal:codec');
  if (!stored) throw new Error('nothing stored');
  return stored;
}

describe('conversation codec', () => {
  it('reads back exactly the record it wrote', async () => {
    const stored = await storedAfter('hi', 'im safe', 'a girl says she will send my pics to my friends unless i pay', 'im 15', 'should i pay?');
    expect(decodeConversation(encodeConversation(stored))).toEqual(stored);
  });

  it('keeps a record in under half the bytes of its JSON', async () => {
    const stored = await storedAfter('hi', 'yes im safe', 'my ex is threatening to post my nudes', 'im 27', 'i sent him £200 on a gift card');
    const json = Buffer.byteLength(JSON.stringify(stored));
    expect(encodeConversation(stored).length).toBeLessThan(json / 2);
  });

  it('keeps text it has never seen, in any script, intact', () => {
    const stored = { flowVersion: 99, snapshot: { note: 'Dw i\u2019n iawn — już dobrze 🙂 '.repeat(40) }, recent: [1, 2, 3], updatedAt: 4 };
    expect(decodeConversation(encodeConversation(stored))).toEqual(stored);
  });

  it('reads a record stored as plain JSON', () => {
    const stored = { flowVersion: 0, snapshot: { status: 'active', value: 'someOldState', context: {} }, recent: [], updatedAt: 1 };
    expect(decodeConversation(Buffer.from(JSON.stringify(stored)))).toEqual(stored);
  });

  it('refuses a record in an unknown format, or damaged, with an error that says so', () => {
    expect(() => decodeConversation(Buffer.from([0x7f, 1, 2, 3]))).toThrow(UnreadableConversationError);
    const damaged = encodeConversation({ flowVersion: 1, snapshot: {}, recent: [], updatedAt: 1 }).subarray(0, 4);
    expect(() => decodeConversation(damaged)).toThrow(UnreadableConversationError);
  });
});
