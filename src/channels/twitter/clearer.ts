import type { TwitterApi } from 'twitter-api-v2';
import type { ChatClearer, DeletionOutcome } from '../../core/index.js';
import { deleteEach } from '../delete-each.js';
import type { RetryOptions } from '../send-with-retry.js';
import { toDeliveryError } from './sender.js';

/** X's shape for a DM event id. */
const DM_EVENT_ID = /^\d{1,19}$/;

/**
 * "Clear this chat" on X: the bot deletes its own DM events, one at a time,
 * with `DELETE /2/dm_events/:event_id` through the channel's one user context
 * (`via`: the OAuth 2.0 session, or the v1.1 client). X
 * lets an account delete only events it owns, so the person's own messages
 * are never asked for and count as not deleted.
 */
export function createTwitterClearer(via: <T>(call: (client: TwitterApi) => Promise<T>) => Promise<T>, retry: RetryOptions = {}): ChatClearer {
  return {
    async support() {
      return { kind: 'bot' };
    },
    async delete(_key, messages): Promise<DeletionOutcome> {
      const own = messages.filter((m) => m.from === 'bot' && DM_EVENT_ID.test(m.id)).map((m) => m.id);
      const { done, failed } = await deleteEach(own, (id) => via((client) => client.v2.delete(`dm_events/${id}`)), (error) => toDeliveryError(error, Date.now, { v2: true }), retry);
      return { deleted: done, failed: [...messages.map((m) => m.id).filter((id) => !own.includes(id)), ...failed] };
    },
  };
}
