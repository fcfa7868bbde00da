import type { AttachmentKind, InboundEvent } from '../../core/index.js';

/**
 * What one Telegram update asks of the adapter. Translation is pure so that
 * every update kind can be checked without a server, and so that the webhook
 * and polling paths cannot drift apart.
 */
export type UpdateAction =
  /** A person wrote in a private chat: hand it to the engine (after answering the button press, if any). */
  | { readonly kind: 'dispatch'; readonly event: InboundEvent; readonly callbackQueryId?: string }
  /** Someone wrote in a group or channel: tell them once to write privately, nothing else. */
  | { readonly kind: 'group-notice'; readonly chatId: string; readonly localeHint?: string }
  /** The person blocked the bot (or removed it): stop sending there. */
  | { readonly kind: 'block'; readonly chatId: string }
  /** The person allowed the bot again. */
  | { readonly kind: 'unblock'; readonly chatId: string }
  /** A button press that leads nowhere: stop the client's spinner and do nothing else. */
  | { readonly kind: 'answer-only'; readonly callbackQueryId: string; readonly reason: string }
  /** Acknowledge and drop (edits, channel posts, service messages, unknown kinds). */
  | { readonly kind: 'ignore'; readonly reason: string };

/** Options for {@link translateUpdate}. */
export interface TranslateOptions {
  /** The bot's username (without @), to tell `/start@ThisBot` from a command meant for another bot. */
  readonly botUsername?: string;
}

/** Media fields, checked in this order: an animation also carries a `document`, so it comes first. */
const ATTACHMENT_FIELDS: ReadonlyArray<readonly [string, AttachmentKind]> = [
  ['animation', 'video'],
  ['photo', 'image'],
  ['video', 'video'],
  ['video_note', 'video'],
  ['sticker', 'sticker'],
  ['voice', 'audio'],
  ['audio', 'audio'],
  ['document', 'file'],
  ['paid_media', 'other'],
  ['story', 'other'],
  ['contact', 'other'],
  ['location', 'other'],
  ['venue', 'other'],
  ['poll', 'other'],
  ['dice', 'other'],
  ['game', 'other'],
];

const GROUP_CHAT_TYPES: ReadonlySet<string> = new Set(['group', 'supergroup', 'channel']);

/** The update's kind: the one field beside `update_id` (a Bot API name, never personal data). */
export function updateKind(update: Record<string, unknown>): string {
  return Object.keys(update).find((key) => key !== 'update_id') ?? 'empty';
}

/** True for a JSON object with an integer `update_id`, the one field every update has. */
export function isUpdate(value: unknown): value is Record<string, unknown> & { update_id: number } {
  return isRecord(value) && Number.isSafeInteger(value.update_id);
}

/**
 * Decides what one Telegram update means for the bot. Only private chats reach
 * the engine; attachments are reported by kind and never fetched; the
 * `/start` payload is dropped here so it cannot reach the engine or a log.
 */
export function translateUpdate(update: Record<string, unknown> & { update_id: number }, options: TranslateOptions = {}): UpdateAction {
  const messageId = String(update.update_id);
  if (isRecord(update.message)) return translateMessage(update.message, messageId, options);
  if (isRecord(update.callback_query)) return translateCallbackQuery(update.callback_query, messageId);
  if (isRecord(update.my_chat_member)) return translateMemberChange(update.my_chat_member);
  return { kind: 'ignore', reason: updateKind(update) };
}

function translateMessage(message: Record<string, unknown>, messageId: string, options: TranslateOptions): UpdateAction {
  const chat = chatOf(message);
  if (!chat) return { kind: 'ignore', reason: 'no_chat' };
  const localeHint = languageOf(message.from);
  const payload = payloadOf(message, options);
  if (!payload) return { kind: 'ignore', reason: 'service_message' };
  if (payload === 'other_bot') return { kind: 'ignore', reason: 'command_for_other_bot' };
  if (chat.type !== 'private') {
    if (!GROUP_CHAT_TYPES.has(chat.type)) return { kind: 'ignore', reason: 'unknown_chat_type' };
    return { kind: 'group-notice', chatId: chat.id, ...(localeHint ? { localeHint } : {}) };
  }
  const sentAt = typeof message.date === 'number' ? message.date * 1000 : undefined;
  // In a private chat the bot may delete the person's own messages too (within 48 hours).
  const deletableId = Number.isSafeInteger(message.message_id) ? String(message.message_id) : undefined;
  const event: InboundEvent = {
    key: { channel: 'telegram', id: chat.id },
    payload,
    messageId,
    ...(localeHint ? { localeHint } : {}),
    ...(sentAt !== undefined ? { sentAt } : {}),
    ...(deletableId !== undefined ? { deletableId } : {}),
  };
  return { kind: 'dispatch', event };
}

function payloadOf(message: Record<string, unknown>, options: TranslateOptions): InboundEvent['payload'] | 'other_bot' | undefined {
  if (typeof message.text === 'string') {
    const command = leadingCommand(message);
    if (command) {
      const [name, target] = command.split('@', 2);
      if (target !== undefined && options.botUsername !== undefined && target.toLowerCase() !== options.botUsername.toLowerCase()) {
        return 'other_bot';
      }
      if (name === '/start') return { type: 'start' };
    }
    return { type: 'text', text: message.text };
  }
  for (const [field, attachment] of ATTACHMENT_FIELDS) {
    if (message[field] !== undefined && message[field] !== null) {
      // The caption is read for crisis and danger only; the media itself is never fetched.
      const caption = typeof message.caption === 'string' && message.caption.trim() !== '' ? message.caption : undefined;
      return { type: 'attachment', attachment, ...(caption !== undefined && { caption }) };
    }
  }
  return undefined;
}

/** The bot command at offset 0 (e.g. `/start` or `/start@SupportBot`), read from the entities Telegram sends. */
function leadingCommand(message: Record<string, unknown>): string | undefined {
  const text = message.text as string;
  const entities = Array.isArray(message.entities) ? message.entities : [];
  const first = entities.find((entity) => isRecord(entity) && entity.type === 'bot_command' && entity.offset === 0);
  if (isRecord(first) && typeof first.length === 'number') return text.slice(0, first.length);
  return undefined;
}

function translateCallbackQuery(query: Record<string, unknown>, messageId: string): UpdateAction {
  if (typeof query.id !== 'string') return { kind: 'ignore', reason: 'malformed_callback_query' };
  const callbackQueryId = query.id;
  const chat = isRecord(query.message) ? chatOf(query.message) : undefined;
  if (!chat) return { kind: 'answer-only', callbackQueryId, reason: 'no_message' };
  if (chat.type !== 'private') return { kind: 'answer-only', callbackQueryId, reason: 'group_chat' };
  if (typeof query.data !== 'string' || query.data.length === 0) return { kind: 'answer-only', callbackQueryId, reason: 'no_data' };
  const localeHint = languageOf(query.from);
  const event: InboundEvent = {
    key: { channel: 'telegram', id: chat.id },
    payload: { type: 'choice', choiceId: query.data },
    messageId,
    ...(localeHint ? { localeHint } : {}),
  };
  return { kind: 'dispatch', event, callbackQueryId };
}

function translateMemberChange(change: Record<string, unknown>): UpdateAction {
  const chat = chatOf(change);
  const status = isRecord(change.new_chat_member) ? change.new_chat_member.status : undefined;
  if (!chat) return { kind: 'ignore', reason: 'no_chat' };
  if (status === 'kicked') return { kind: 'block', chatId: chat.id };
  if (status === 'member' || status === 'administrator') return { kind: 'unblock', chatId: chat.id };
  return { kind: 'ignore', reason: `member_status_${typeof status === 'string' ? status : 'unknown'}` };
}

function chatOf(container: Record<string, unknown>): { id: string; type: string } | undefined {
  const chat = container.chat;
  if (!isRecord(chat) || typeof chat.type !== 'string') return undefined;
  if (typeof chat.id !== 'number' && typeof chat.id !== 'string') return undefined;
  return { id: String(chat.id), type: chat.type };
}

function languageOf(user: unknown): string | undefined {
  return isRecord(user) && typeof user.language_code === 'string' && user.language_code.length > 0 ? user.language_code : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
