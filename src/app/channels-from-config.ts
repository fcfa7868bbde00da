import type { ChannelAdapter } from '../channels/channel.js';
import { createBotFrameworkChannel } from '../channels/botframework/index.js';
import { createTelegramChannel } from '../channels/telegram/index.js';
import { createTwitterChannel } from '../channels/twitter/index.js';
import type { AppConfig } from '../config/environment.js';
import type { ChannelStores } from './shared-state.js';

/** Builds the channel adapters whose settings are present, in a fixed order. */
export function channelsFromConfig(config: AppConfig, stores: ChannelStores = {}): ChannelAdapter[] {
  const channels: ChannelAdapter[] = [];
  const { telegram, botframework, twitter } = config;
  if (telegram) {
    channels.push(
      createTelegramChannel({
        token: telegram.token,
        webhookSecret: telegram.webhookSecret ?? '',
        apiRoot: telegram.apiRoot,
        mode: telegram.mode,
        ...(stores.telegramBlocked && { blockedChats: stores.telegramBlocked }),
      }),
    );
  }
  if (botframework) {
    channels.push(
      createBotFrameworkChannel({
        ...(botframework.appId !== undefined && { appId: botframework.appId }),
        ...(botframework.appPassword !== undefined && { appPassword: botframework.appPassword }),
        ...(botframework.appType !== undefined && { appType: botframework.appType }),
        ...(botframework.tenantId !== undefined && { tenantId: botframework.tenantId }),
        allowUnauthenticated: botframework.allowUnauthenticated,
        ...(stores.botframeworkReferences && { references: stores.botframeworkReferences }),
      }),
    );
  }
  if (twitter) channels.push(createTwitterChannel({ ...twitter }));
  return channels;
}
