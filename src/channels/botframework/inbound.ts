import type { Activity, Attachment } from 'botbuilder';
import type { AttachmentKind, ConversationKey, InboundEvent, InboundPayload } from '../../core/index.js';
import type { OfferedChoice } from './reference-store.js';

/**
 * The conversation key for an activity: `channelId` and `conversation.id`
 * joined by a colon (`facebook:<psid>-<pageid>`, `msteams:a:1Xk…`,
 * `webchat:Dq1…`). The channel id is part of it because conversation ids are
 * only unique within one Bot Framework channel.
 */
export function conversationKeyOf(activity: Pick<Activity, 'channelId' | 'conversation'>): ConversationKey {
  return { channel: 'botframework', id: `${activity.channelId}:${activity.conversation.id}` };
}

/**
 * What the route should do with one activity. Group conversations (Teams
 * group chats and channels) are never dispatched: they get one notice asking
 * the person to write privately.
 */
export type InboundDecision =
  | { readonly kind: 'dispatch'; readonly events: readonly InboundEvent[] }
  | { readonly kind: 'group' }
  | { readonly kind: 'ignore' };

/** What the translation needs to know about the conversation so far. */
export interface InboundState {
  readonly offeredChoices?: readonly OfferedChoice[];
  readonly started?: boolean;
}

/**
 * Translates one Bot Framework activity into inbound events. Pure: the route
 * does the storing and dispatching. Every event of one activity gets a
 * distinct, redelivery-stable `messageId` (see {@link deliveryIdOf}).
 */
export function translateActivity(activity: Activity, state: InboundState = {}): InboundDecision {
  if (!activity.conversation?.id || !activity.channelId) return { kind: 'ignore' };
  if (activity.type === 'message') {
    if (activity.conversation.isGroup === true) return { kind: 'group' };
    return withIds(activity, messagePayloads(activity, state.offeredChoices ?? []));
  }
  if (activity.type === 'conversationUpdate') {
    if (activity.conversation.isGroup === true || state.started) return { kind: 'ignore' };
    const botId = activity.recipient?.id;
    const personJoined = (activity.membersAdded ?? []).some((member) => member.id !== botId);
    return personJoined ? withIds(activity, [{ type: 'start' }]) : { kind: 'ignore' };
  }
  return { kind: 'ignore' };
}

/**
 * The delivery id for dedupe: the activity id scoped by channel and
 * conversation. Teams activity ids are millisecond timestamps, so two people
 * can send activities with the same id; unscoped, the dispatcher would drop
 * one of them as a "redelivery".
 */
export function deliveryIdOf(activity: Activity): string | undefined {
  return activity.id ? `${activity.channelId}:${activity.conversation.id}:${activity.id}` : undefined;
}

function withIds(activity: Activity, payloads: readonly InboundPayload[]): InboundDecision {
  if (payloads.length === 0) return { kind: 'ignore' };
  const key = conversationKeyOf(activity);
  const base = deliveryIdOf(activity);
  const sentAt = timestampOf(activity);
  const events = payloads.map((payload, index): InboundEvent => ({
    key,
    payload,
    ...(activity.locale ? { localeHint: activity.locale } : {}),
    ...(base === undefined ? {} : { messageId: index === 0 ? base : `${base}#${index}` }),
    ...(sentAt === undefined ? {} : { sentAt }),
  }));
  return { kind: 'dispatch', events };
}

function timestampOf(activity: Activity): number | undefined {
  const raw: unknown = activity.timestamp;
  const ms = raw instanceof Date ? raw.getTime() : typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/** The text or choice first, then one attachment event per kind of media. */
function messagePayloads(activity: Activity, offered: readonly OfferedChoice[]): InboundPayload[] {
  const payloads: InboundPayload[] = [];
  const choiceId = pressedChoice(activity, offered);
  const text = typeof activity.text === 'string' ? activity.text.trim() : '';
  if (choiceId !== undefined) payloads.push({ type: 'choice', choiceId });
  else if (text.length > 0) payloads.push({ type: 'text', text });
  const kinds = new Set<AttachmentKind>();
  for (const attachment of activity.attachments ?? []) {
    const kind = attachmentKind(attachment, activity);
    if (kind !== undefined) kinds.add(kind);
  }
  for (const attachment of kinds) payloads.push({ type: 'attachment', attachment });
  return payloads;
}

/**
 * The choice a person pressed, if any, recognised only among the choices last
 * offered to this conversation:
 * - `value.choiceId` (our messageBack buttons in Web Chat, Direct Line, Emulator);
 * - Messenger's `channelData.message.quick_reply.payload` (the imBack value we sent: the id);
 * - text equal to an offered id (channels that echo an imBack value as text);
 * - text equal to an offered label (imBack in Teams, which posts the label as the person's message).
 */
function pressedChoice(activity: Activity, offered: readonly OfferedChoice[]): string | undefined {
  if (offered.length === 0) return undefined;
  const byId = (candidate: unknown) =>
    typeof candidate === 'string' ? offered.find((choice) => choice.id === candidate)?.id : undefined;
  const value: unknown = activity.value;
  const fromValue = isRecord(value) ? byId(value.choiceId) : byId(value);
  if (fromValue !== undefined) return fromValue;
  const fromPayload = byId(quickReplyPayload(activity.channelData));
  if (fromPayload !== undefined) return fromPayload;
  if (typeof activity.text !== 'string') return undefined;
  const text = activity.text.trim();
  const fromText = byId(text);
  if (fromText !== undefined) return fromText;
  const folded = fold(text);
  return offered.find((choice) => fold(choice.label) === folded || fold(choice.sentLabel) === folded)?.id;
}

function quickReplyPayload(channelData: unknown): unknown {
  if (!isRecord(channelData) || !isRecord(channelData.message)) return undefined;
  const quickReply = channelData.message.quick_reply;
  return isRecord(quickReply) ? quickReply.payload : undefined;
}

function fold(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();
}

/**
 * The kind of one attachment, judged by its content type only (never
 * fetched). Undefined for what is not media the person sent: Teams mirrors
 * every message as a `text/html` attachment, and cards are the bot's own.
 */
function attachmentKind(attachment: Attachment, activity: Activity): AttachmentKind | undefined {
  const type = (attachment.contentType ?? '').toLowerCase();
  if (type === 'text/html' || type === 'text/plain' || type.startsWith('application/vnd.microsoft.card.')) {
    return undefined;
  }
  if (type.startsWith('image/')) return isMessengerSticker(activity) ? 'sticker' : 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('application/') || type.startsWith('text/')) return 'file';
  return 'other';
}

function isMessengerSticker(activity: Activity): boolean {
  const channelData: unknown = activity.channelData;
  return isRecord(channelData) && isRecord(channelData.message) && channelData.message.sticker_id !== undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
