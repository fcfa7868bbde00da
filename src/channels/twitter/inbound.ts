import { z } from 'zod';
import type { AttachmentKind, InboundEvent, InboundPayload } from '../../core/index.js';

/**
 * One DM event as X delivers it, in both the Account Activity API (AAA) and
 * the X Activity API (XAA), which reuse the v1.1 `message_create` shape. Only
 * the fields the bot reads are declared; everything else passes untouched.
 */
const dmEventSchema = z.object({
  type: z.string(),
  id: z.string().min(1),
  created_timestamp: z.string().optional(),
  message_create: z.object({
    sender_id: z.string().min(1),
    message_data: z.object({
      text: z.string().optional(),
      quick_reply_response: z.object({ metadata: z.string().optional() }).optional(),
      attachment: z
        .object({ type: z.string(), media: z.object({ type: z.string().optional() }).optional() })
        .optional(),
    }),
  }),
});

/** AAA: v1.1 user objects keyed by id. XAA: `{ data: <v2 user> }` keyed by id. */
const userSchema = z.object({
  lang: z.string().nullish(),
  data: z.object({ lang: z.string().nullish() }).optional(),
});

const usersSchema = z.record(z.string(), z.unknown()).optional();

const aaaDeliverySchema = z.object({
  for_user_id: z.string().optional(),
  direct_message_events: z.array(z.unknown()),
  users: usersSchema,
});

const xaaDeliverySchema = z.object({
  data: z.object({
    event_type: z.string(),
    filter: z.object({ user_id: z.string().optional() }).optional(),
    payload: z.unknown(),
  }),
});

const xaaDmPayloadSchema = z.object({
  direct_message_events: z.array(z.unknown()),
  users: usersSchema,
});

/** What one webhook delivery amounted to, for the route to act on and log. */
export interface ParsedDelivery {
  /**
   * `direct-messages` when the delivery carried DM events; `encrypted-chat`
   * for an encrypted X Chat message (`chat.received`), which the bot cannot
   * read; otherwise why it was ignored.
   */
  readonly kind: 'direct-messages' | 'encrypted-chat' | 'other-activity' | 'other-account' | 'unrecognised';
  /** The person's messages, in delivery order, ready for the dispatcher. */
  readonly events: readonly InboundEvent[];
  /** DM events skipped because our own account sent them (the echo of our replies). */
  readonly echoes: number;
  /** DM events skipped because they were malformed or carried nothing to act on. */
  readonly skipped: number;
}

const empty = (kind: ParsedDelivery['kind']): ParsedDelivery => ({ kind, events: [], echoes: 0, skipped: 0 });

/** How the channel presents choices, which decides how a typed reply is read. */
export interface ParseOptions {
  /** Choices go out as a numbered list (v2 DMs), so a typed number or label is a press: see {@link InboundEvent.numberedChoices}. */
  readonly numberedChoices?: boolean;
}

/**
 * Translates a verified X webhook body into inbound events. Accepts both
 * delivery shapes: the X Activity API's, and the Account Activity API's (X
 * has marked it deprecated), because forces move at different times; the DM
 * events inside are the same. Events our own account sent are dropped: X
 * delivers our replies back to us, and answering them would loop forever.
 *
 * @param ownUserId the force's X account id (the account the bot speaks as)
 */
export function parseXDelivery(body: unknown, ownUserId: string, { numberedChoices = false }: ParseOptions = {}): ParsedDelivery {
  const aaa = aaaDeliverySchema.safeParse(body);
  if (aaa.success) {
    const forUser = aaa.data.for_user_id;
    if (forUser !== undefined && forUser !== ownUserId) return empty('other-account');
    return translate(aaa.data.direct_message_events, aaa.data.users, ownUserId, numberedChoices);
  }
  const xaa = xaaDeliverySchema.safeParse(body);
  if (xaa.success) {
    const filtered = xaa.data.data.filter?.user_id;
    if (filtered !== undefined && filtered !== ownUserId) return empty('other-account');
    // Encrypted X Chat: ciphertext only X's own apps can open. Reported, never read.
    if (xaa.data.data.event_type === 'chat.received') return empty('encrypted-chat');
    if (xaa.data.data.event_type !== 'dm.received') return empty('other-activity');
    const payload = xaaDmPayloadSchema.safeParse(xaa.data.data.payload);
    if (!payload.success) return empty('unrecognised');
    return translate(payload.data.direct_message_events, payload.data.users, ownUserId, numberedChoices);
  }
  // Tweets, likes, follows, typing and read indicators: nothing for the bot.
  return isObject(body) ? empty('other-activity') : empty('unrecognised');
}

function translate(
  rawEvents: readonly unknown[],
  users: Record<string, unknown> | undefined,
  ownUserId: string,
  numberedChoices: boolean,
): ParsedDelivery {
  const events: InboundEvent[] = [];
  let echoes = 0;
  let skipped = 0;
  for (const raw of rawEvents) {
    const parsed = dmEventSchema.safeParse(raw);
    if (!parsed.success || parsed.data.type !== 'message_create') {
      skipped++;
      continue;
    }
    const dm = parsed.data;
    const senderId = dm.message_create.sender_id;
    if (senderId === ownUserId) {
      echoes++;
      continue;
    }
    const payload = toPayload(dm.message_create.message_data);
    if (payload === undefined) {
      skipped++;
      continue;
    }
    const localeHint = senderLang(users, senderId);
    const sentAt = dm.created_timestamp === undefined ? undefined : Number(dm.created_timestamp);
    events.push({
      key: { channel: 'twitter', id: senderId },
      payload,
      messageId: dm.id,
      ...(localeHint === undefined ? {} : { localeHint }),
      ...(sentAt === undefined || !Number.isFinite(sentAt) ? {} : { sentAt }),
      ...(numberedChoices && payload.type === 'text' && { numberedChoices: true }),
    });
  }
  return { kind: 'direct-messages', events, echoes, skipped };
}

type MessageData = z.infer<typeof dmEventSchema>['message_create']['message_data'];

/** A pressed quick reply wins over media, media over text (the text of a media DM is only its t.co link). */
function toPayload(data: MessageData): InboundPayload | undefined {
  const choiceId = data.quick_reply_response?.metadata;
  if (choiceId !== undefined && choiceId.length > 0) return { type: 'choice', choiceId };
  if (data.attachment !== undefined) return { type: 'attachment', attachment: attachmentKind(data.attachment) };
  const text = data.text ?? '';
  return text.trim().length > 0 ? { type: 'text', text } : undefined;
}

function attachmentKind(attachment: NonNullable<MessageData['attachment']>): AttachmentKind {
  if (attachment.type !== 'media') return 'other';
  switch (attachment.media?.type) {
    case 'photo':
      return 'image';
    case 'video':
    case 'animated_gif':
      return 'video';
    default:
      return 'other';
  }
}

/** X DMs carry no language; a user object's `lang`, where X still sends one, is the only hint. */
function senderLang(users: Record<string, unknown> | undefined, senderId: string): string | undefined {
  const user = userSchema.safeParse(users?.[senderId]);
  if (!user.success) return undefined;
  const lang = user.data.lang ?? user.data.data?.lang ?? undefined;
  return lang === undefined || lang.length === 0 ? undefined : lang;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
