import type { ChannelAdapter } from '../channels/channel.js';
import { createBotFrameworkChannel } from '../channels/botframework/index.js';
import { createTelegramChannel } from '../channels/telegram/index.js';
import { type ChoicePrompt, createTwitterChannel } from '../channels/twitter/index.js';
import type { AppConfig } from '../config/environment.js';
import { type Logger, silentLogger } from '../core/logger.js';
import type { ChannelStores } from './shared-state.js';

/** What channels need from the rest of the service besides their settings. */
export interface ChannelNeeds {
  /** X v2 DMs: the line under numbered choices, in the message's language. */
  readonly choicePrompt: ChoicePrompt;
  readonly logger?: Logger;
}

/** Builds the channel adapters whose settings are present, in a fixed order. */
export function channelsFromConfig(config: AppConfig, stores: ChannelStores = {}, needs?: ChannelNeeds): ChannelAdapter[] {
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
  if (twitter) {
    if (needs === undefined) throw new TypeError('the X channel needs the choice prompt of its numbered lists');
    channels.push(
      createTwitterChannel({
        consumerKey: twitter.consumerKey,
        consumerSecret: twitter.consumerSecret,
        userId: twitter.userId,
        apiRoot: twitter.apiRoot,
        webhookApi: twitter.webhookApi,
        healthCheckMs: twitter.healthCheckMs,
        choicePrompt: needs.choicePrompt,
        logger: needs.logger ?? silentLogger,
        ...(twitter.oauth2 && { oauth2: twitter.oauth2 }),
        ...(twitter.quickReplies && { quickReplies: twitter.quickReplies }),
        ...(stores.xTokens && { tokens: stores.xTokens }),
      }),
    );
  }
  return channels;
}
