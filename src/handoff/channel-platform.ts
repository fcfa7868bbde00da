import { parseConversationKey } from '../core/conversation-key.js';

/**
 * The platforms a call handler knows by name. Bot Framework is how the bot
 * reaches several of them, never what the person is writing on.
 */
const BOT_FRAMEWORK_CHANNELS: Readonly<Record<string, string>> = {
  facebook: 'messenger',
  msteams: 'teams',
  webchat: 'webchat',
  directline: 'webchat',
  emulator: 'emulator',
};

/**
 * Where the person is writing, as a call handler would say it: `telegram`,
 * `x`, `messenger`, `teams`, `webchat` (Bot Framework's channel id is the
 * first part of its conversation key), `emulator` or `terminal` for tests;
 * any other Bot Framework channel by its own id (`slack`, `sms`…), never
 * just "Bot Framework". Only the platform is returned, never the key.
 */
export function platformOf(conversationKey: string): string {
  const key = parseConversationKey(conversationKey);
  if (!key) return 'unknown';
  if (key.channel === 'twitter') return 'x';
  if (key.channel === 'terminal') return 'terminal';
  if (key.channel !== 'botframework') return key.channel;
  const channelId = key.id.slice(0, Math.max(0, key.id.indexOf(':'))).toLowerCase();
  return BOT_FRAMEWORK_CHANNELS[channelId] ?? (/^[a-z][a-z0-9-]{0,31}$/.test(channelId) ? channelId : 'unknown');
}
