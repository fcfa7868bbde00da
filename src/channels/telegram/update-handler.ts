import type { ChannelContext } from '../channel.js';
import { BoundedSet } from '../../core/bounded-set.js';
import type { MessageSender } from '../../core/index.js';
import type { BlockedChats } from './blocked-chats.js';
import type { BotApiClient } from './client.js';
import { translateUpdate, updateKind, type UpdateAction } from './inbound.js';

/** The notice key a group chat gets, rendered by the server in the person's language. */
export const GROUP_CHAT_NOTICE = 'channel.groupChat';

/** What {@link createUpdateHandler} works with; all of it is owned by the adapter. */
export interface UpdateHandlerOptions {
  /** The Bot API client for `answerCallbackQuery`. */
  readonly api: Pick<BotApiClient, 'answerCallbackQuery'>;
  readonly sender: MessageSender;
  readonly blockedChats: BlockedChats;
  readonly noticedChats: NoticedChats;
  /** Where callback-query answers still in flight are kept, so the adapter's stop can wait for them. */
  readonly background: BackgroundCalls;
  readonly context: ChannelContext;
  readonly botUsername: () => string | undefined;
}

/**
 * Handles one update, from the webhook or from polling alike: translate, then
 * dispatch, notice, block or ignore. Resolves when the update may be
 * acknowledged, that is as soon as the engine accepted it: answering a
 * button press runs beside it and never delays the acknowledgement. Rejects
 * only when the event was not accepted (or the block list could not be
 * updated), so that Telegram (or the polling loop) delivers it again.
 */
export function createUpdateHandler(options: UpdateHandlerOptions): (update: Record<string, unknown> & { update_id: number }) => Promise<void> {
  const { api, sender, blockedChats, noticedChats, background, context, botUsername } = options;
  const logger = context.logger;

  /** Starts answering the button press (stops its spinner); a failure is logged, never thrown. */
  function answerCallbackQuery(callbackQueryId: string): void {
    background.track(
      api.answerCallbackQuery(callbackQueryId).then(
        () => undefined,
        (error: unknown) => logger.warn({ event: 'telegram.callback.answer_failed', code: (error as { code?: unknown } | undefined)?.code }, 'answering a Telegram button press failed'),
      ),
    );
  }

  /** A person writing again has evidently unblocked the bot. One call, so no `isBlocked` round trip first. */
  async function unblockOnInbound(chatId: string): Promise<void> {
    if (await blockedChats.unblock(chatId)) logger.info({ event: 'telegram.chat.unblocked', source: 'inbound_message' }, 'the person unblocked the bot (wrote again)');
  }

  async function sendGroupNotice(action: Extract<UpdateAction, { kind: 'group-notice' }>): Promise<void> {
    if (!noticedChats.markFirst(action.chatId)) return;
    const text = context.notice(GROUP_CHAT_NOTICE, action.localeHint);
    try {
      await sender.send({ channel: 'telegram', id: action.chatId }, [{ text, choices: [], links: [] }]);
    } catch (error) {
      noticedChats.forget(action.chatId);
      logger.warn({ event: 'telegram.group_notice.failed', error: (error as Error).name }, 'group notice not sent');
    }
  }

  return async function handle(update) {
    const kind = updateKind(update);
    const action = translateUpdate(update, { botUsername: botUsername() });
    logger.debug({ event: 'telegram.update', updateKind: kind, action: action.kind, ...('reason' in action ? { reason: action.reason } : {}) }, 'Telegram update');
    switch (action.kind) {
      case 'dispatch':
        if (action.callbackQueryId !== undefined) answerCallbackQuery(action.callbackQueryId);
        // The unblock is issued before the dispatch, so the reply's `isBlocked` check sees the chat unblocked:
        // in memory it takes effect at once; in Redis, when the flag and the inbox share a connection (as
        // wired today), the DEL runs before the event is even recorded.
        await Promise.all([unblockOnInbound(action.event.key.id), context.dispatch(action.event)]);
        return;
      case 'group-notice':
        await sendGroupNotice(action);
        return;
      case 'block':
        await blockedChats.block(action.chatId);
        logger.info({ event: 'telegram.chat.blocked', source: 'my_chat_member' }, 'the person blocked the bot');
        return;
      case 'unblock':
        await blockedChats.unblock(action.chatId);
        logger.info({ event: 'telegram.chat.unblocked', source: 'my_chat_member' }, 'the person unblocked the bot');
        return;
      case 'answer-only':
        answerCallbackQuery(action.callbackQueryId);
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
  readonly #chats: BoundedSet<string>;

  constructor(maxEntries = 10_000) {
    this.#chats = new BoundedSet(maxEntries);
  }

  /** Marks the chat; true when it was not marked yet (synchronous, so two concurrent messages send one notice). */
  markFirst(chatId: string): boolean {
    if (this.#chats.has(chatId)) return false;
    this.#chats.add(chatId);
    return true;
  }

  /** Removes the mark after a failed notice, so the next message tries again. */
  forget(chatId: string): void {
    this.#chats.delete(chatId);
  }
}

/**
 * Calls started in the background (callback-query answers) and not yet
 * settled, so the adapter's stop can wait for them before closing the Bot API
 * client. Callers handle their own failures; a rejection that slips through
 * is swallowed here rather than becoming an unhandled rejection.
 */
export class BackgroundCalls {
  readonly #pending = new Set<Promise<void>>();

  track(call: Promise<unknown>): void {
    const done: Promise<void> = call.then(
      () => void this.#pending.delete(done),
      () => void this.#pending.delete(done),
    );
    this.#pending.add(done);
  }

  /** Resolves once every call started so far has settled. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
