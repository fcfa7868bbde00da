/**
 * Locale keys the code outside the flow says, so that the locale coverage
 * test can tell a used key from a forgotten one.
 */
export const ENGINE_KEYS = {
  /** Over the per-person rate limit. */
  rateLimited: 'system.rateLimited',
  /** The stored conversation came from an older flow and was started again. */
  restarted: 'system.restarted',
  /** A turn failed where no platform will redeliver (the console channel). */
  error: 'system.error',
  /** Telegram group chats: please write to us privately. */
  groupChat: 'channel.groupChat',
  /** X v2 DMs have no buttons: the line under a numbered list of one choice ("Reply 1."). */
  replyNumber: 'channel.replyNumber',
  /** … and of several ("Reply 1, 2 or 3."). */
  replyNumbers: 'channel.replyNumbers',
} as const;
