import type { CloudAdapter } from 'botbuilder';
import { conversationKeyToString, DeliveryError, type MessageSender } from '../../core/index.js';
import { sendWithRetry, type RetryOptions } from '../send-with-retry.js';
import { toDeliveryError } from './errors.js';
import { renderMessages } from './outbound.js';
import type { ConversationReferenceStore } from './reference-store.js';

/** What the sender needs: the adapter, the app id it sends as, and the stored references. */
export interface BotFrameworkSenderOptions {
  readonly adapter: CloudAdapter;
  /** The Microsoft App Id, or '' when authentication is off (Emulator, tests). */
  readonly appId: string;
  readonly references: ConversationReferenceStore;
  readonly retry?: RetryOptions;
}

/**
 * Sends messages to a Bot Framework conversation at any time, inside or
 * outside the request that carried the person's message: everything it needs
 * is the stored conversation reference, used with
 * `adapter.continueConversationAsync`. Each activity is retried on its own
 * when the connector throttles, so a retry never repeats a part already sent.
 * The offered choices are saved before sending, so a quick press cannot
 * arrive before they are known.
 */
export function createBotFrameworkSender({ adapter, appId, references, retry }: BotFrameworkSenderOptions): MessageSender {
  return {
    /** Resolves to the ids the connector gave the sent activities. */
    async send(key, messages) {
      if (messages.length === 0) return [];
      const storeKey = conversationKeyToString(key);
      const record = await references.read(storeKey);
      if (!record) throw new DeliveryError('No Bot Framework conversation reference is stored for this conversation', { permanent: true });
      const { activities, offeredChoices } = renderMessages(record.reference.channelId ?? '', messages);
      if (offeredChoices) await references.write(storeKey, { ...record, offeredChoices });
      const sent: string[] = [];
      try {
        await adapter.continueConversationAsync(appId, record.reference, async (turn) => {
          for (const activity of activities) {
            const response = await sendWithRetry(async () => {
              try {
                return await turn.sendActivity(activity);
              } catch (error) {
                throw toDeliveryError(error);
              }
            }, retry);
            if (response?.id) sent.push(response.id);
          }
        });
      } catch (error) {
        throw toDeliveryError(error);
      }
      return sent;
    },

    async forget(key) {
      await references.delete(conversationKeyToString(key));
    },
  };
}
