import { createHmac, randomBytes } from 'node:crypto';
import { type ConversationKey, conversationKeyToString } from '../core/conversation-key.js';

/**
 * Makes a short keyed hash of a conversation key for logs, so that the lines
 * about one conversation can be followed without the platform id ever being
 * written. With the same secret on every instance the hashes agree across
 * instances and restarts; without one, a random per-process secret is used.
 */
export function createConversationHasher(secret: string | undefined = undefined): (key: ConversationKey) => string {
  const keyBytes = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  return (key) => createHmac('sha256', keyBytes).update(conversationKeyToString(key)).digest('base64url').slice(0, 16);
}
