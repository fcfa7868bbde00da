import { describe, expect, it } from 'vitest';
import type { TranscriptEntry, TranscriptStore } from '../../src/handoff/handoff-model.js';
import { MemoryTranscriptStore } from '../../src/storage/memory/transcript-store.js';
import { RedisTranscriptStore } from '../../src/storage/redis/transcript-store.js';
import { sleep, useTestRedis } from '../support/handoff-backends.js';

const redis = useTestRedis();

interface Options {
  readonly ttlMs: number;
  readonly maxEntries?: number;
}

const backends: { name: string; make: (options: Options) => Promise<TranscriptStore> }[] = [
  { name: 'MemoryTranscriptStore', make: async (options) => new MemoryTranscriptStore(options) },
  { name: 'RedisTranscriptStore', make: async (options) => new RedisTranscriptStore({ client: await redis.client(), keys: redis.keys(), ...options }) },
];

const line = (at: number, text: string, from: TranscriptEntry['from'] = 'person'): TranscriptEntry => ({ at, from, text });

describe.each(backends)('$name', ({ make }) => {
  it('reads back what was appended, in order, with the handler named on handler lines and notes', async () => {
    const store = await make({ ttlMs: 60_000 });
    const entries: TranscriptEntry[] = [
      line(1, 'he says he will send it to my mum'),
      { at: 2, from: 'handler', text: 'You did the right thing telling us.', handler: 'alice' },
      { at: 3, from: 'note', text: 'Advised Report Remove', handler: 'alice' },
      line(4, 'ok', 'bot'),
    ];
    for (const entry of entries) await store.append('telegram:1', entry);
    expect(await store.read('telegram:1')).toEqual(entries);
  });

  it('keeps each conversation apart and reads an unknown one as empty', async () => {
    const store = await make({ ttlMs: 60_000 });
    await store.append('telegram:1', line(1, 'one'));
    await store.append('twitter:2', line(2, 'two'));
    expect(await store.read('telegram:1')).toEqual([line(1, 'one')]);
    expect(await store.read('twitter:2')).toEqual([line(2, 'two')]);
    expect(await store.read('telegram:3')).toEqual([]);
  });

  it('erases a conversation’s transcript on delete and leaves the others', async () => {
    const store = await make({ ttlMs: 60_000 });
    await store.append('telegram:1', line(1, 'one'));
    await store.append('telegram:2', line(2, 'two'));
    await store.delete('telegram:1');
    expect(await store.read('telegram:1')).toEqual([]);
    expect(await store.read('telegram:2')).toHaveLength(1);
  });

  it('keeps only the newest entries once the cap is reached', async () => {
    const store = await make({ ttlMs: 60_000, maxEntries: 5 });
    for (let i = 1; i <= 8; i++) await store.append('telegram:1', line(i, `message ${i}`));
    expect((await store.read('telegram:1')).map((e) => e.at)).toEqual([4, 5, 6, 7, 8]);
  });

  it('strips bidi overrides, isolates and zero-width characters before storing, and returns what it stored', async () => {
    const store = await make({ ttlMs: 60_000 });
    const hidden = '\u202eevil\u202c \u2066isolated\u2069 zero\u200bwidth\u200c\u200d\u200e\u200f\u202a\u202b\u202d\u2067\u2068\ufeff';
    const stored = await store.append('telegram:1', line(1, hidden));
    expect(stored).toEqual(line(1, 'evil isolated zerowidth'));
    expect(await store.read('telegram:1')).toEqual([line(1, 'evil isolated zerowidth')]);
  });

  it.each([
    ['telegram:1', 4096],
    ['twitter:2', 10_000],
    ['botframework:facebook:3', 2000],
    ['botframework:msteams:4', 4096],
    ['botframework:webchat:5', 4096],
    ['terminal:6', 4096],
  ])('caps each entry of %s at the platform’s message limit (%i), marking the cut', async (key, limit) => {
    const store = await make({ ttlMs: 60_000 });
    const oversized = `\u202e${'a'.repeat(limit)}\u200bbcdef${'b'.repeat(limit)}`;
    await store.append(key, { at: 1, from: 'person', text: oversized });
    const [entry] = await store.read(key);
    expect(entry?.text).toHaveLength(limit);
    expect(entry?.text).toBe(`${'a'.repeat(limit - 1)}…`);
    const exact = 'c'.repeat(limit);
    expect((await store.append(key, { at: 2, from: 'bot', text: exact })).text).toBe(exact);
  });

  it('never cuts an emoji in half when capping', async () => {
    const store = await make({ ttlMs: 60_000 });
    const text = `${'a'.repeat(4094)}💙💙`;
    const stored = await store.append('telegram:1', line(1, text));
    expect(stored.text).toBe(`${'a'.repeat(4094)}…`);
    expect((await store.read('telegram:1'))[0]?.text).toBe(stored.text);
  });

  it('expires with the conversation TTL, which every append starts again', async () => {
    const store = await make({ ttlMs: 600 });
    await store.append('telegram:1', line(1, 'first'));
    await sleep(400);
    await store.append('telegram:1', line(2, 'second'));
    await sleep(400);
    expect(await store.read('telegram:1')).toHaveLength(2);
    await sleep(700);
    expect(await store.read('telegram:1')).toEqual([]);
  });
});
