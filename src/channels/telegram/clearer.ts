import { type ChatClearer, type ClearSupport, type ConversationKey, type DeletionOutcome, type KeptMessage, MESSAGE_ID_TTL_MS } from '../../core/index.js';
import { deleteEach } from '../delete-each.js';
import type { RetryOptions } from '../send-with-retry.js';
import type { BotApiClient } from './client.js';
import { toDeliveryError } from './errors.js';
import { toChatId } from './sender.js';

/** The most ids one `deleteMessages` call takes. */
export const DELETE_BATCH = 100;

/** What the Telegram clearer needs. */
export interface TelegramClearerOptions {
  readonly api: Pick<BotApiClient, 'call'>;
  readonly retry?: RetryOptions;
  readonly now?: () => number;
}

/**
 * "Clear this chat" on Telegram. The bot only talks in private chats, where
 * it may delete the person's messages as well as its own, but only within 48
 * hours of sending: older ids are never sent to Telegram and count as not
 * deleted. `deleteMessages` takes 1 to 100 ids and skips any it cannot find,
 * so a batch either succeeds as a whole or fails as a whole; a failed batch
 * (after retries on 429) fails its ids, and the other batches still run.
 */
export function createTelegramClearer({ api, retry, now = Date.now }: TelegramClearerOptions): ChatClearer {
  return {
    async support(): Promise<ClearSupport> {
      return { kind: 'all' };
    },
    async delete(key: ConversationKey, messages: readonly KeptMessage[]): Promise<DeletionOutcome> {
      const cutoff = now() - MESSAGE_ID_TTL_MS;
      const recent = messages.filter((m) => m.at > cutoff && /^\d+$/.test(m.id)).map((m) => m.id);
      const batches: string[][] = [];
      for (let start = 0; start < recent.length; start += DELETE_BATCH) batches.push(recent.slice(start, start + DELETE_BATCH));
      const chatId = toChatId(key.id);
      const { done, failed } = await deleteEach(
        batches,
        (batch) => api.call<true>('deleteMessages', { chat_id: chatId, message_ids: batch.map(Number) }),
        (error) => toDeliveryError(error, 'deleteMessages'),
        retry,
      );
      return { deleted: done.flat(), failed: [...messages.map((m) => m.id).filter((id) => !recent.includes(id)), ...failed.flat()] };
    },
  };
}
