import type { CloudAdapter } from 'botbuilder';
import { type ChatClearer, type ClearSupport, conversationKeyToString, type DeletionOutcome } from '../../core/index.js';
import { deleteEach } from '../delete-each.js';
import type { RetryOptions } from '../send-with-retry.js';
import { toDeliveryError } from './errors.js';
import type { ConversationReferenceStore } from './reference-store.js';

/**
 * Bot Framework channels whose clients remove an activity the bot deletes
 * (`deleteActivity`): Teams, Web Chat and Direct Line, and the Emulator for
 * local trials. A bot can delete only its own activities, never the person's.
 */
const DELETES_ACTIVITIES: ReadonlySet<string> = new Set(['msteams', 'webchat', 'directline', 'emulator']);

/** Names of channels that delete nothing, as the person knows them; another channel is named by its own id. */
const PLATFORM_NAMES: Readonly<Record<string, string>> = { facebook: 'Messenger', slack: 'Slack', telegram: 'Telegram', sms: 'SMS', email: 'Email', line: 'LINE' };

/** Bot Framework's channel id: the first part of the conversation key's id (see `conversationKeyOf`). */
function channelIdOf(id: string): string {
  return id.slice(0, Math.max(0, id.indexOf(':'))).toLowerCase();
}

/** What the Bot Framework clearer needs: the adapter, the app id it acts as, and the stored references. */
export interface BotFrameworkClearerOptions {
  readonly adapter: CloudAdapter;
  readonly appId: string;
  readonly references: ConversationReferenceStore;
  readonly retry?: RetryOptions;
}

/**
 * "Clear this chat" on Bot Framework, decided per channel id: the bot's own
 * activities are deleted one by one where the channel supports it; Messenger
 * (and any other channel) supports none, and is named so the person can be
 * told plainly. Each id that the connector refuses is reported as failed.
 */
export function createBotFrameworkClearer({ adapter, appId, references, retry }: BotFrameworkClearerOptions): ChatClearer {
  return {
    async support(key): Promise<ClearSupport> {
      const channelId = channelIdOf(key.id);
      if (DELETES_ACTIVITIES.has(channelId)) return { kind: 'bot' };
      return { kind: 'none', platform: PLATFORM_NAMES[channelId] ?? channelId };
    },
    async delete(key, messages): Promise<DeletionOutcome> {
      const own = messages.filter((m) => m.from === 'bot').map((m) => m.id);
      const theirs = messages.filter((m) => m.from !== 'bot').map((m) => m.id);
      const record = await references.read(conversationKeyToString(key)).catch(() => undefined);
      if (!record || !DELETES_ACTIVITIES.has(channelIdOf(key.id))) return { deleted: [], failed: [...theirs, ...own] };
      let outcome: { done: string[]; failed: string[] } = { done: [], failed: own };
      try {
        await adapter.continueConversationAsync(appId, record.reference, async (turn) => {
          outcome = await deleteEach(own, (id) => turn.deleteActivity(id), toDeliveryError, retry);
        });
      } catch {
        // The connector could not be reached at all: nothing was deleted.
      }
      return { deleted: outcome.done, failed: [...theirs, ...outcome.failed] };
    },
  };
}
