import type { ChatClearer } from '../core/chat-clearing.js';
import type { ChannelId } from '../core/conversation-key.js';
import { BotError } from '../core/errors.js';

/** The conversation's channel has no way to delete messages. */
export class NoClearerError extends BotError {}

/**
 * One {@link ChatClearer} for the engine over every channel's own: each
 * conversation goes to the channel it is on. A channel without one makes
 * `support` fail, which the engine answers by telling the person how to
 * clear the chat by hand.
 */
export function channelClearers(clearers: ReadonlyMap<ChannelId, ChatClearer>): ChatClearer {
  const of = (channel: ChannelId): ChatClearer => {
    const clearer = clearers.get(channel);
    if (!clearer) throw new NoClearerError(`the ${channel} channel cannot delete messages`);
    return clearer;
  };
  return {
    support: async (key) => of(key.channel).support(key),
    delete: async (key, messages) => of(key.channel).delete(key, messages),
  };
}
