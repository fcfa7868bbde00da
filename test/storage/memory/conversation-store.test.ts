import { describe, expect, it } from 'vitest';
import { MemoryConversationStore } from '../../../src/storage/memory/conversation-store.js';

const record = (n: number) => ({ flowVersion: 1, snapshot: { n }, recent: [], updatedAt: n });

describe('MemoryConversationStore', () => {
  it('reads back what was written and forgets what was deleted', async () => {
    const store = new MemoryConversationStore();
    await store.write('telegram:1', record(1));
    expect(await store.read('telegram:1')).toEqual(record(1));
    await store.delete('telegram:1');
    expect(await store.read('telegram:1')).toBeUndefined();
  });

  it('expires a record its TTL after the last write, and a write refreshes it', async () => {
    let now = 0;
    const store = new MemoryConversationStore({ ttlMs: 1000, now: () => now });
    await store.write('a', record(1));
    now = 900;
    await store.write('a', record(2));
    now = 1500;
    expect(await store.read('a')).toEqual(record(2));
    now = 1901;
    expect(await store.read('a')).toBeUndefined();
  });

  it('sweeps expired records so memory does not grow', async () => {
    let now = 0;
    const store = new MemoryConversationStore({ ttlMs: 10, now: () => now });
    for (let i = 0; i < 50; i++) await store.write(`k${i}`, record(i));
    now = 100;
    await store.write('fresh', record(0));
    expect(store.size).toBe(1);
  });
});
