import type { FastifyInstance } from 'fastify';
import type { ChannelId, ChatClearer, InboundEvent, Logger, MessageSender } from '../core/index.js';

/**
 * What the server gives each channel adapter: a way to hand inbound events to
 * the engine, channel-level notices in the person's language, and a logger.
 */
export interface ChannelContext {
  /**
   * Hands one inbound event to the conversation engine. Resolves once the event
   * is safely handled (its replies were passed to this channel's sender);
   * rejects when it could not be accepted, in which case the webhook must answer
   * with an error status so that the platform redelivers.
   */
  dispatch(event: InboundEvent): Promise<void>;
  /** A channel-level notice (e.g. `channel.groupChat`) rendered for a locale hint. */
  notice(key: string, localeHint?: string): string;
  readonly logger: Logger;
}

/**
 * One platform. Each adapter translates both ways: platform payloads into
 * {@link InboundEvent}s (via its routes) and outbound messages into platform
 * calls (via its sender). It is the only code that imports that platform's SDK.
 */
export interface ChannelAdapter {
  readonly id: ChannelId;
  /** Sends replies and later (proactive) messages to a conversation on this platform. */
  readonly sender: MessageSender;
  /** Says what the platform lets the bot delete, and deletes messages by id ("clear this chat"). */
  readonly clearer?: ChatClearer;
  /** Registers this channel's webhook routes on the shared server. */
  routes(app: FastifyInstance, context: ChannelContext): void | Promise<void>;
  /** Starts background work (Telegram polling mode), after the server listens. */
  start?(context: ChannelContext): Promise<void>;
  /** Stops background work on shutdown. */
  stop?(): Promise<void>;
  /** What this instance knows of the platform's deliveries, for `/readyz` and metrics (channels with a webhook challenge). */
  health?(): ChannelHealth;
}

/**
 * Whether a platform is still delivering, as seen by this instance: so a
 * force notices when the platform has stopped sending (a lapsed
 * subscription, a webhook that failed its challenge) although every request
 * that does arrive is handled. Times are ms since epoch; no ids, no content.
 */
export interface ChannelHealth {
  /** When this instance last answered the platform's webhook challenge. */
  readonly lastChallengeAt?: number;
  /** When a verified delivery of any kind last arrived here. */
  readonly lastEventAt?: number;
  /** The platform's own word, at the last check, that a registered webhook passed its challenge. */
  readonly webhookValid?: boolean;
  /** Whether, at the last check, the platform had a subscription delivering the account's messages to a registered webhook. */
  readonly subscribed?: boolean;
  /** When the platform was last asked (successfully). */
  readonly checkedAt?: number;
  /** Why the last check failed, in words safe to show (no secrets). */
  readonly checkProblem?: string;
  /** Messages that arrived which the bot cannot read (X's encrypted chats), since start. */
  readonly unreadableMessages: number;
}
