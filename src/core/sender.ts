import type { ConversationKey } from './conversation-key.js';
import type { OutboundMessage } from './outbound-message.js';

/**
 * Sends messages to a person outside the request that carried their message
 * (proactively): a call handler's reply, a queue time-out notice. Each channel
 * provides one; the engine and console never see platform calls.
 */
export interface MessageSender {
  /**
   * Sends the messages in order. Resolves to the platform ids of what was
   * sent, where the platform gives them, so the chat can be cleared later.
   */
  send(key: ConversationKey, messages: readonly OutboundMessage[]): Promise<readonly string[] | void>;
  /**
   * Drops what the channel keeps to reach the conversation (Bot Framework's
   * conversation reference), once the person has erased their data and the
   * reply saying so has gone. Channels that keep nothing leave it out.
   */
  forget?(key: ConversationKey): Promise<void>;
}
