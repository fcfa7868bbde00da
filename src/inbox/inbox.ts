import { createHash } from 'node:crypto';
import type { ChannelId } from '../core/conversation-key.js';
import type { InboundEvent } from '../core/inbound-event.js';

/**
 * Where channels hand over inbound events. `submit` resolves once the event is
 * safely accepted (for the Redis inbox: recorded durably, so the webhook may
 * answer 200) and rejects when it could not be, so the webhook answers with an
 * error and the platform redelivers. A redelivered event (same channel and
 * platform message id) is accepted once.
 */
export interface Inbox {
  submit(event: InboundEvent): Promise<void>;
  /** Starts background processing, if the inbox has any. */
  start?(): Promise<void>;
  /** Stops taking new work, finishes what is in flight. */
  stop?(): Promise<void>;
}

/**
 * One letter per channel, put before the digest of the platform's message id
 * to make a delivery id: the letters are distinct and one character long, so
 * the first character always names the channel. Every channel must have one
 * (the type says so).
 */
const CHANNEL_LETTER: Readonly<Record<ChannelId, string>> = { botframework: 'b', terminal: 'c', telegram: 't', twitter: 'x' };

/**
 * The id that makes a delivery unique across channels, or undefined when the
 * platform gave none. The message id is kept only as a digest (96 bits of
 * SHA-256, 16 characters): some platforms build it from the conversation's id
 * (Direct Line's `<conversation id>|<sequence>`), and the marks outlive an
 * erased conversation by up to two dedupe windows, so they must not name it.
 */
export function deliveryId(event: InboundEvent): string | undefined {
  if (event.messageId === undefined) return undefined;
  return CHANNEL_LETTER[event.key.channel] + createHash('sha256').update(event.messageId).digest('base64url').slice(0, 16);
}
