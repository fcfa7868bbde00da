import type { ConversationKey, Logger, MessageSender, OutboundMessage } from '../../core/index.js';
import { DeliveryError } from '../../core/errors.js';
import { sendWithRetry, type RetryOptions } from '../send-with-retry.js';
import type { BlockedChats } from './blocked-chats.js';
import type { BotApiClient } from './client.js';
import { renderMessage } from './outbound.js';
import { isBlockedByUser, toDeliveryError } from './errors.js';

/** What the Telegram sender needs: the adapter's Bot API client and the block list. */
export interface TelegramSenderOptions {
  readonly api: Pick<BotApiClient, 'sendMessage'>;
  readonly blockedChats: BlockedChats;
  readonly logger: () => Logger;
  readonly retry?: RetryOptions;
}

/**
 * Sends replies and proactive messages to a Telegram chat from nothing but the
 * conversation key, so a call handler can answer minutes later from any
 * process. It writes nothing to a chat that blocked the bot, and marks a chat
 * blocked as soon as Telegram refuses a send with 403.
 */
export class TelegramSender implements MessageSender {
  readonly #api: Pick<BotApiClient, 'sendMessage'>;
  readonly #blockedChats: BlockedChats;
  readonly #logger: () => Logger;
  readonly #retry: RetryOptions | undefined;

  constructor({ api, blockedChats, logger, retry }: TelegramSenderOptions) {
    this.#api = api;
    this.#blockedChats = blockedChats;
    this.#logger = logger;
    this.#retry = retry;
  }

  /** Resolves to the ids of the messages Telegram created, one per part sent. */
  async send(key: ConversationKey, messages: readonly OutboundMessage[]): Promise<string[]> {
    if (key.channel !== 'telegram') throw new DeliveryError(`Telegram sender cannot send to channel ${key.channel}`, { permanent: true });
    // Once per call, however many messages and parts follow: with Redis it is a round trip per reply.
    if (await this.#blockedChats.isBlocked(key.id)) {
      this.#logger().info({ event: 'telegram.send.skipped', reason: 'blocked', messages: messages.length }, 'not sent: the person blocked the bot');
      return [];
    }
    const chatId = toChatId(key.id);
    const sent: string[] = [];
    for (const message of messages) {
      const { parts, droppedChoices } = renderMessage(message);
      if (droppedChoices > 0) {
        this.#logger().warn({ event: 'telegram.choice.dropped', reason: 'callback_data_too_long', count: droppedChoices }, 'buttons dropped: their callback data is too long for Telegram');
      }
      if (parts.length === 0) {
        this.#logger().warn({ event: 'telegram.send.skipped', reason: 'empty_text' }, 'not sent: empty message');
        continue;
      }
      for (const part of parts) {
        try {
          const created = await sendWithRetry(async () => {
            try {
              return await this.#api.sendMessage(chatId, part.text, part.replyMarkup ? { reply_markup: part.replyMarkup } : undefined);
            } catch (error) {
              throw toDeliveryError(error, 'sendMessage');
            }
          }, this.#retry);
          sent.push(String(created.message_id));
        } catch (error) {
          await this.#onFailure(key.id, error);
          throw error;
        }
      }
    }
    return sent;
  }

  async #onFailure(chatId: string, error: unknown): Promise<void> {
    const cause = error instanceof DeliveryError ? error.cause : undefined;
    const code = (cause as { code?: unknown } | undefined)?.code;
    this.#logger().warn({ event: 'telegram.send.failed', code, permanent: error instanceof DeliveryError && error.permanent }, 'Telegram send failed');
    if (isBlockedByUser(error)) {
      await this.#blockedChats.block(chatId);
      this.#logger().info({ event: 'telegram.chat.blocked', source: 'send' }, 'the person blocked the bot (seen when sending)');
    }
  }
}

/** Telegram chat ids are integers (up to 52 bits, so safe in a JS number); a `@channel` name stays a string. */
export function toChatId(id: string): number | string {
  if (/^-?\d+$/.test(id)) {
    const value = Number(id);
    if (Number.isSafeInteger(value)) return value;
  }
  return id;
}
