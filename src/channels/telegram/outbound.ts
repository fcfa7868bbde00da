import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import type { OutboundMessage } from '../../core/index.js';
import { splitText, trimLabel } from '../split-text.js';

/** Telegram refuses a message longer than this (UTF-16 code units after entity parsing). */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Telegram refuses a button whose `callback_data` is longer than this, in bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;
/** Longer labels are cut off on phones anyway; trimming keeps the ellipsis visible. */
export const BUTTON_LABEL_MAX = 64;
/** Telegram's cap on buttons in one inline keyboard. */
export const MAX_BUTTONS = 100;

/** One `sendMessage` call: a part of the text, and on the last part the keyboard. */
export interface TelegramMessagePart {
  readonly text: string;
  readonly replyMarkup?: InlineKeyboardMarkup;
}

/** What {@link renderMessage} made of one message, and what it had to leave out. */
export interface RenderedMessage {
  readonly parts: readonly TelegramMessagePart[];
  /** Choices whose id does not fit `callback_data`; the caller logs the count. */
  readonly droppedChoices: number;
}

/**
 * Turns one channel-free message into Telegram `sendMessage` calls: the text
 * split at Telegram's limit, then the choices (one button per row, so long
 * translated labels stay readable) and web links as an inline keyboard on the
 * last part only, so the buttons sit under the question they answer.
 */
export function renderMessage(message: OutboundMessage): RenderedMessage {
  const text = message.text.trim();
  const texts = text.length === 0 ? [] : splitText(text, TELEGRAM_TEXT_LIMIT);
  const rows: InlineKeyboardButton[][] = [];
  let droppedChoices = 0;
  for (const choice of message.choices) {
    if (Buffer.byteLength(choice.id, 'utf8') > CALLBACK_DATA_MAX_BYTES || choice.id.length === 0) {
      droppedChoices++;
      continue;
    }
    rows.push([{ text: trimLabel(choice.label, BUTTON_LABEL_MAX), callback_data: choice.id }]);
  }
  for (const link of message.links) {
    if (isWebUrl(link.url)) rows.push([{ text: trimLabel(link.label, BUTTON_LABEL_MAX), url: link.url }]);
  }
  const keyboard = rows.slice(0, MAX_BUTTONS);
  const parts = texts.map((part, index): TelegramMessagePart => {
    const last = index === texts.length - 1;
    return last && keyboard.length > 0 ? { text: part, replyMarkup: { inline_keyboard: keyboard } } : { text: part };
  });
  return { parts, droppedChoices };
}

/** Telegram accepts only http(s) addresses on URL buttons; anything else would fail the whole message. */
function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
