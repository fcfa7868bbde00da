import { parseConversationKey } from '../core/conversation-key.js';
import type { TranscriptEntry } from './handoff-model.js';

/**
 * Characters that change how the text around them is ordered or shown
 * without being visible themselves: zero-width spaces and joiners, the
 * left-to-right and right-to-left marks (U+200B-U+200F), the bidi embeddings
 * and overrides (U+202A-U+202E), the bidi isolates (U+2066-U+2069) and the
 * byte-order mark (U+FEFF). In a transcript they could make a line read
 * differently from what was sent (a reversed number, a hidden word), so they
 * are removed before a line is stored.
 */
const INVISIBLE_FORMATTING = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** What a cut line ends with, so the call handler can see it was cut. */
const CUT_MARK = '…';

/**
 * The longest message each platform accepts, in UTF-16 code units as they
 * count them: Telegram's `sendMessage` 4096, an X direct message 10,000,
 * Facebook Messenger through the Bot Framework 2000. Other Bot Framework
 * channels (Teams, Web Chat) accept far more, so Telegram's 4096 serves for
 * them and for the terminal chat: longer than any reply the bot or a handler
 * sends, short enough that one line cannot swamp the console. Nothing the
 * person sent on a platform can be longer than that platform's limit, so a
 * longer line did not come from them.
 */
export const TRANSCRIPT_TEXT_LIMITS = {
  telegram: 4096,
  twitter: 10_000,
  facebook: 2000,
  other: 4096,
} as const;

/** The longest transcript line kept for a conversation, from its platform (a Bot Framework key names its channel). */
export function transcriptTextLimit(conversationKey: string): number {
  const key = parseConversationKey(conversationKey);
  if (!key) return TRANSCRIPT_TEXT_LIMITS.facebook;
  if (key.channel === 'telegram') return TRANSCRIPT_TEXT_LIMITS.telegram;
  if (key.channel === 'twitter') return TRANSCRIPT_TEXT_LIMITS.twitter;
  if (key.channel === 'botframework' && key.id.startsWith('facebook:')) return TRANSCRIPT_TEXT_LIMITS.facebook;
  return TRANSCRIPT_TEXT_LIMITS.other;
}

/**
 * The line as it is stored: invisible formatting characters removed, then cut
 * to the platform's limit (ending in "…", never in half an emoji). Shared by
 * both transcript stores, so a line reads the same whichever keeps it.
 */
export function cleanTranscriptEntry(conversationKey: string, entry: TranscriptEntry): TranscriptEntry {
  const limit = transcriptTextLimit(conversationKey);
  let text = entry.text.replace(INVISIBLE_FORMATTING, '');
  if (text.length > limit) {
    let cut = limit - CUT_MARK.length;
    const last = text.charCodeAt(cut - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
    text = `${text.slice(0, cut)}${CUT_MARK}`;
  }
  return {
    at: entry.at,
    from: entry.from,
    text,
    ...(entry.handler === undefined ? {} : { handler: entry.handler }),
    ...(entry.flag === undefined ? {} : { flag: entry.flag }),
    ...(entry.pressed === true ? { pressed: true as const } : {}),
  };
}
