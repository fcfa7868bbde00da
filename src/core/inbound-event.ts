import { type ConversationKey, isChannelId } from './conversation-key.js';

/**
 * Kinds of media a person might send. The bot never downloads, stores or
 * forwards any of them: it only learns that one arrived, so it can tell the
 * person to keep it as evidence instead of sending it here.
 */
export type AttachmentKind = 'image' | 'video' | 'file' | 'sticker' | 'audio' | 'other';

/** What the person did, independent of the platform it came from. */
export type InboundPayload =
  /** Free text, exactly as typed (untrusted: never echoed back). */
  | { readonly type: 'text'; readonly text: string }
  /** A pressed button or quick reply: the choice id the bot offered. */
  | { readonly type: 'choice'; readonly choiceId: string }
  /**
   * Media arrived; only its kind is known, plus any caption typed with it,
   * which is read for crisis and danger like any other text.
   */
  | { readonly type: 'attachment'; readonly attachment: AttachmentKind; readonly caption?: string }
  /** The platform's "conversation started" signal (Telegram /start, Bot Framework member added). */
  | { readonly type: 'start' }
  /**
   * Not from the person: a call handler's action on their conversation, their
   * claim lapsing (`released`: the handler left or stopped replying), or the
   * queue's time-out, delivered through the same inbox so it is ordered with
   * the person's own messages.
   */
  | { readonly type: 'handler'; readonly action: 'joined' | 'transferred' | 'released' | 'ended' | 'timeout' }
  | { readonly type: 'handler'; readonly action: 'message'; readonly text: string }
  /**
   * Not from the person: a check the conversation scheduled came due (they
   * had not answered "are you safe?"), delivered through the inbox like the
   * handler's actions so it is ordered with their own messages.
   */
  | { readonly type: 'timer'; readonly check: 'safety' };

/**
 * One inbound event: the single shape every channel adapter produces and the
 * engine consumes. Nothing platform-specific crosses this line.
 */
export interface InboundEvent {
  readonly key: ConversationKey;
  readonly payload: InboundPayload;
  /** The platform's language hint (Telegram `language_code`, Bot Framework `locale`), if any. */
  readonly localeHint?: string;
  /**
   * The platform's id for this delivery (Telegram `update_id`, Bot Framework
   * activity id, X event id). Used to answer a redelivered event only once.
   */
  readonly messageId?: string;
  /** When the platform says the message was sent (ms since epoch), if it says. */
  readonly sentAt?: number;
  /**
   * The id of the person's own message where the platform lets the bot delete
   * it (Telegram private chats), so "clear this chat" can remove it too.
   */
  readonly deletableId?: string;
  /**
   * The channel shows the choices it is given as a numbered list in the text,
   * having no buttons (X's v2 DMs): a text that is just one of the numbers,
   * or the label of a choice last offered, is read as pressing that choice.
   */
  readonly numberedChoices?: boolean;
}

/** Every attachment kind, for validating untrusted input. */
export const ATTACHMENT_KINDS: readonly AttachmentKind[] = ['image', 'video', 'file', 'sticker', 'audio', 'other'];

const PAYLOAD_TYPES: ReadonlySet<string> = new Set(['text', 'choice', 'attachment', 'start', 'handler', 'timer']);

/**
 * Whether a value read back from storage (the Redis inbox) has an inbound
 * event's shape: a conversation key on a known channel and a payload of a
 * known type with the fields that type needs. What fails is dropped rather
 * than run through the engine.
 */
export function isInboundEvent(value: unknown): value is InboundEvent {
  if (typeof value !== 'object' || value === null) return false;
  const { key, payload } = value as { key?: unknown; payload?: unknown };
  if (typeof key !== 'object' || key === null || typeof payload !== 'object' || payload === null) return false;
  const { channel, id } = key as { channel?: unknown; id?: unknown };
  if (typeof channel !== 'string' || !isChannelId(channel) || typeof id !== 'string') return false;
  const p = payload as Record<string, unknown>;
  if (typeof p.type !== 'string' || !PAYLOAD_TYPES.has(p.type)) return false;
  if (p.type === 'text') return typeof p.text === 'string';
  if (p.type === 'choice') return typeof p.choiceId === 'string';
  if (p.type === 'attachment') return ATTACHMENT_KINDS.includes(p.attachment as AttachmentKind);
  if (p.type === 'handler') return typeof p.action === 'string' && (p.action !== 'message' || typeof p.text === 'string');
  if (p.type === 'timer') return p.check === 'safety';
  return true;
}
