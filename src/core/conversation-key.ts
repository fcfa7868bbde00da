/**
 * Every platform a conversation can arrive on, once, for the type below, the
 * parser of stored keys and the metrics' label values: `terminal` is
 * `npm run chat`.
 */
export const CHANNEL_IDS = ['terminal', 'telegram', 'botframework', 'twitter'] as const;

/**
 * Which platform a conversation arrived on. The engine treats them all alike;
 * the id only matters for routing replies and for metrics.
 */
export type ChannelId = (typeof CHANNEL_IDS)[number];

/**
 * Identifies one person's conversation on one channel.
 *
 * `id` is the platform's own chat or conversation id. It is personal data:
 * it must never appear in logs or metrics (log {@link hashConversationKey}'s
 * output from the logging module instead).
 */
export interface ConversationKey {
  readonly channel: ChannelId;
  readonly id: string;
}

/** The one string form used as a store key, so every store agrees on it. */
export function conversationKeyToString(key: ConversationKey): string {
  return `${key.channel}:${key.id}`;
}

/** Inverse of {@link conversationKeyToString}; undefined for a malformed string. */
export function parseConversationKey(value: string): ConversationKey | undefined {
  const at = value.indexOf(':');
  if (at <= 0) return undefined;
  const channel = value.slice(0, at);
  if (!isChannelId(channel)) return undefined;
  return { channel, id: value.slice(at + 1) };
}

const CHANNELS: ReadonlySet<string> = new Set<string>(CHANNEL_IDS);

/** Narrows an untrusted string to a {@link ChannelId}. */
export function isChannelId(value: string): value is ChannelId {
  return CHANNELS.has(value);
}
