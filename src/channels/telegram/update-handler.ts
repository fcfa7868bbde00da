import type { Telegram } from 'telegraf';
import type { ChannelContext } from '../channel.js';
import type { MessageSender } from '../../core/index.js';
import type { BlockedChats } from './blocked-chats.js';
import { translateUpdate, updateKind, type UpdateAction } from './translate-update.js';

/** The notice key a group chat gets, rendered by the server in the person's language. */
export const GROUP_CHAT_NOTICE = 'channel.groupChat';

/** What {@link createUpdateHandler} works with; all of it is owned by the adapter. */
export interface UpdateHandlerOptions {
  readonly telegram: Telegram;
  readonly sender: MessageSender;
  readonly blockedChats: BlockedChats;
  readonly noticedChats: NoticedChats;
  readonly context: ChannelContext;
  readonly botUsername: () => string | undefined;
}

/**
 * Handles one update, from the webhook or from polling alike: translate, then
 * dispatch, notice, block or ignore. Resolves when the update may be
 * acknowledged; rejects only when the engine did not accept it, so that
 * Telegram (or the polling loop) delivers it again.
 */
export function createUpdateHandler(options: UpdateHandlerOptions): (update: Record<string, unknown> & { update_id: number }) => Promise<void> {
  const { telegram, sender, blockedChats, noticedChats, context, botUsername } = options;
  const logger = context.logger;

  async function answerCallbackQuery(callbackQueryId: string): Promise<void> {
    try {
      await telegram.answerCbQuery(callbackQueryId);
    } catch (error) {
      logger.warn({ event: 'telegram.callback.answer_failed', code: (error as { code?: unknown }).code });
    }
  }

  async function sendGroupNotice(action: Extract<UpdateAction, { kind: 'group-notice' }>): Promise<void> {
    if (!noticedChats.markFirst(action.chatId)) return;
    const text = context.notice(GROUP_CHAT_NOTICE, action.localeHint);
    try {
      await sender.send({ channel: 'telegram', id: action.chatId }, [{ text, choices: [], links: [] }]);
    } catch (error) {
      noticedChats.forget(action.chatId);
      logger.warn({ event: 'telegram.group_notice.failed', error: (error as Error).name });
    }
  }

  return async function handle(update) {
    const kind = updateKind(update);
    const action = translateUpdate(update, { botUsername: botUsername() });
    logger.debug({ event: 'telegram.update', updateKind: kind, action: action.kind, ...('reason' in action ? { reason: action.reason } : {}) });
    switch (action.kind) {
      case 'dispatch':
        if (action.callbackQueryId !== undefined) await answerCallbackQuery(action.callbackQueryId);
        if (await blockedChats.isBlocked(action.event.key.id)) {
          await blockedChats.unblock(action.event.key.id);
          logger.info({ event: 'telegram.chat.unblocked', source: 'inbound_message' });
        }
        await context.dispatch(action.event);
        return;
      case 'group-notice':
        await sendGroupNotice(action);
        return;
      case 'block':
        await blockedChats.block(action.chatId);
        logger.info({ event: 'telegram.chat.blocked', source: 'my_chat_member' });
        return;
      case 'unblock':
        await blockedChats.unblock(action.chatId);
        logger.info({ event: 'telegram.chat.unblocked', source: 'my_chat_member' });
        return;
      case 'answer-only':
        await answerCallbackQuery(action.callbackQueryId);
        return;
      case 'ignore':
        return;
    }
  };
}

/**
 * Group and channel chats that were already told to write privately, so each
 * gets the notice once. Kept in memory and bounded: after a restart (or past
 * the bound) a chat may get the notice once more, which is harmless.
 */
export class NoticedChats {
  readonly #chats = new Set<string>();

  constructor(private readonly maxEntries = 10_000) {}

  /** Marks the chat; true when it was not marked yet (synchronous, so two concurrent messages send one notice). */
  markFirst(chatId: string): boolean {
    if (this.#chats.has(chatId)) return false;
    this.#chats.add(chatId);
    for (const oldest of this.#chats) {
      if (this.#chats.size <= this.maxEntries) break;
      this.#chats.delete(oldest);
    }
    return true;
  }

  /** Removes the mark after a failed notice, so the next message tries again. */
  forget(chatId: string): void {
    this.#chats.delete(chatId);
  }
}
