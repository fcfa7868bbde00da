import type { FastifyInstance } from 'fastify';
import type { ChannelAdapter, ChannelContext } from '../channels/channel.js';
import type { AppConfig } from '../config/environment.js';
import type { ChatClearer } from '../core/chat-clearing.js';
import type { ChannelId } from '../core/conversation-key.js';
import { channelClearers } from '../engine/channel-clearers.js';
import type { Logger } from '../core/logger.js';
import type { MessageSender } from '../core/sender.js';
import { Dispatcher } from '../engine/dispatcher.js';
import { BotMetrics } from '../metrics/bot-metrics.js';
import { registerMetricsRoute } from '../metrics/metrics-route.js';
import { createConversationHasher } from '../logging/conversation-hash.js';
import { createServer, type ReadinessCheck } from '../server/create-server.js';
import { type BotCore, type BotCoreOptions, createBotCore, defaultProfilePath } from './bot-core.js';
import { createHandoff, type Handoff } from './console-wiring.js';
import { createHandoffEventLog } from '../handoff/handoff-event-log.js';
import { loadForceProfile } from '../config/force-profile.js';
import { unsafeSettings } from '../config/unsafe-settings.js';
import type { HandoffDesk } from '../handoff/handoff-model.js';
import { channelsFromConfig } from './channels-from-config.js';
import { choicePromptFrom } from '../channels/twitter/index.js';
import { ENGINE_KEYS } from '../engine/engine-keys.js';
import { createSharedState } from './shared-state.js';
import type { Inbox } from '../inbox/inbox.js';
import { CheckSweeper } from '../scheduling/check-sweeper.js';
import { ChannelStarter } from './channel-starter.js';

/** The running service: server, channels and core, with one way to stop them all. */
export interface App {
  readonly server: FastifyInstance;
  readonly core: BotCore;
  readonly channels: readonly ChannelAdapter[];
  readonly dispatcher: Dispatcher;
  readonly inbox: Inbox;
  /** Call-handler accounts, sessions, queue and audit. */
  readonly handoff: Handoff;
  /** What the call-handler console does (also usable from tests). */
  readonly desk: HandoffDesk;
  /** Prometheus metrics, served at /metrics. */
  readonly metrics: BotMetrics;
  /** Delivers the checks conversations scheduled when they come due (its `sweep` also runs one pass at once). */
  readonly checks: CheckSweeper;
  /** Where shared state lives. */
  readonly storage: 'memory' | 'redis';
  /**
   * Starts listening and starts channels' background work; resolves to the
   * address. Rejects with a ChannelStartError when a channel cannot start,
   * unless `CHANNEL_START_FAILURE=retry` (then `/readyz` reports it until it starts).
   */
  listen(): Promise<string>;
  /** Stops taking requests, stops channels, lets in-flight requests finish. */
  close(): Promise<void>;
}

/** What the app is given besides its configuration: the logger, and for tests the core's options and extra readiness checks. */
export interface AppOptions {
  readonly logger: Logger;
  readonly core?: BotCoreOptions;
  readonly readiness?: readonly ReadinessCheck[];
}

/**
 * Builds the whole service from a validated configuration: the conversation
 * core, every configured channel, the dispatcher between them and the HTTP
 * server. `npm start` and the end-to-end tests both go through here, so the
 * tests exercise exactly what runs in production.
 */
export async function createApp(config: AppConfig, { logger, core: coreOptions = {}, readiness = [] }: AppOptions): Promise<App> {
  for (const { setting, risk } of unsafeSettings(config)) logger.warn({ event: 'config.unsafe', setting }, `unsafe setting ${setting}: ${risk}`);
  const state = createSharedState(config, logger);
  const profile = await loadForceProfile(config.forceProfilePath ?? defaultProfilePath());
  const metrics = new BotMetrics();
  // One hasher for the whole process: without LOG_HASH_SECRET its key is random, and every line must agree.
  const hashKey = createConversationHasher(config.logHashSecret);
  const handoff = createHandoff(config, state, profile, logger, metrics, hashKey, createHandoffEventLog(logger, hashKey));
  // Filled once the channels exist: they are made after the core, whose renderer words X's numbered choices.
  const clearers = new Map<ChannelId, ChatClearer>();
  const core = await createBotCore({
    profile,
    handoff: handoff.port,
    store: state.store,
    checks: state.checks,
    safetyCheckMs: config.safetyCheckMs,
    rateLimit: { windowMs: 60_000, maxMessages: config.rateLimitPerMinute },
    clearing: { ids: state.messageIds, clearer: channelClearers(clearers) },
    ...coreOptions,
  });
  const channels = channelsFromConfig(config, state.channelStores, {
    choicePrompt: choicePromptFrom({
      one: (number, locale) => core.renderer.text(ENGINE_KEYS.replyNumber, core.catalogue.resolve(locale), { number }),
      several: (first, last, locale) => core.renderer.text(ENGINE_KEYS.replyNumbers, core.catalogue.resolve(locale), { first, last }),
    }),
    logger,
  });
  metrics.watchChannels(channels);
  for (const c of channels) if (c.clearer) clearers.set(c.id, c.clearer);
  const dispatcher = new Dispatcher({
    sentIds: state.messageIds,
    engine: core.engine,
    senders: new Map<ChannelId, MessageSender>(channels.map((c) => [c.id, c.sender])),
    logger,
    hashKey,
    observer: {
      turn: (event, result, ms) => metrics.observeTurn(event, result, ms),
      sent: (channel, n) => metrics.messagesOut(channel, n),
      deliveryFailed: (channel, permanent) => metrics.deliveryFailed(channel, permanent),
    },
  });
  const inbox = state.inbox(dispatcher);
  const context: ChannelContext = {
    dispatch: (event) => inbox.submit(event),
    notice: (key, hint) => core.renderer.text(key, core.catalogue.resolve(hint)),
    logger,
  };
  const starter = new ChannelStarter({ channels, context, logger, onFailure: config.channelStartFailure });
  const server = await createServer({
    channels,
    context,
    logger,
    readiness: [...state.readiness, ...starter.readiness(), ...readiness],
    trustProxy: config.trustProxy,
    timeouts: config.timeouts,
  });
  const desk = await handoff.attach(server, inbox, core.renderer);
  // A due check goes through the inbox like a message, so it is ordered with what the person sends.
  const checks = new CheckSweeper({
    store: state.checks,
    deliver: (key, check) => inbox.submit({ key, payload: { type: 'timer', check } }),
    logger,
  });
  registerMetricsRoute(server, metrics, {
    ...(config.metricsToken !== undefined && { token: config.metricsToken }),
    publicWithoutToken: config.metricsPublic,
  });

  return {
    server,
    core,
    channels,
    dispatcher,
    inbox,
    handoff,
    desk,
    metrics,
    checks,
    storage: state.kind,
    async listen() {
      const address = await server.listen({ port: config.port, host: config.host });
      await inbox.start?.();
      await starter.start();
      checks.start();
      return address;
    },
    async close() {
      await server.close();
      await checks.stop();
      // Turns in flight still send their replies through the channels: finish them before the channels stop.
      await inbox.stop?.();
      await starter.stop();
      await handoff.close();
      await state.close();
      metrics.close();
    },
  };
}
