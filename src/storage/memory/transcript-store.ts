import type { TranscriptEntry, TranscriptStore } from '../../handoff/handoff-model.js';
import { cleanTranscriptEntry } from '../../handoff/transcript-entry.js';

/** How long a {@link MemoryTranscriptStore} keeps a transcript and how much of it. */
export interface MemoryTranscriptStoreOptions {
  /** The conversation TTL: a transcript untouched this long is gone, as the conversation is. */
  readonly ttlMs: number;
  /** The newest entries kept per conversation; older ones drop off. */
  readonly maxEntries?: number;
  /** The clock, injectable so expiry can be tested without waiting. */
  readonly now?: () => number;
}

/**
 * Transcripts for a single instance. They expire with the conversation (the
 * TTL is refreshed on every append, like the conversation's own) and keep at
 * most `maxEntries` lines, so an endless conversation cannot grow without bound;
 * each line is cleaned and capped as {@link cleanTranscriptEntry} says.
 */
export class MemoryTranscriptStore implements TranscriptStore {
  readonly #transcripts = new Map<string, { entries: TranscriptEntry[]; expiresAt: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor({ ttlMs, maxEntries = 500, now = Date.now }: MemoryTranscriptStoreOptions) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
    this.#now = now;
  }

  async append(conversationKey: string, entry: TranscriptEntry): Promise<TranscriptEntry> {
    const stored = cleanTranscriptEntry(conversationKey, entry);
    const entries = this.#live(conversationKey) ?? [];
    entries.push(stored);
    if (entries.length > this.#maxEntries) entries.splice(0, entries.length - this.#maxEntries);
    this.#transcripts.set(conversationKey, { entries, expiresAt: this.#now() + this.#ttlMs });
    return stored;
  }

  async read(conversationKey: string): Promise<TranscriptEntry[]> {
    return [...(this.#live(conversationKey) ?? [])];
  }

  async delete(conversationKey: string): Promise<void> {
    this.#transcripts.delete(conversationKey);
  }

  /** The entries if the transcript has not expired; an expired one is dropped on sight. */
  #live(conversationKey: string): TranscriptEntry[] | undefined {
    const transcript = this.#transcripts.get(conversationKey);
    if (!transcript) return undefined;
    if (transcript.expiresAt <= this.#now()) {
      this.#transcripts.delete(conversationKey);
      return undefined;
    }
    return transcript.entries;
  }
}
