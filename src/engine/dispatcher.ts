import type { MessageIdStore } from '../core/chat-clearing.js';
import { type ChannelId, type ConversationKey, conversationKeyToString } from '../core/conversation-key.js';
import { DeliveryError } from '../core/errors.js';
import type { InboundEvent } from '../core/inbound-event.js';
import type { Logger } from '../core/logger.js';
import type { MessageSender } from '../core/sender.js';
import { errorSummary } from '../logging/error-summary.js';
import type { ConversationEngine, TurnResult } from './conversation-engine.js';

/** Told what each turn did, for metrics; never given message text beyond what the result holds. */
export interface DispatchObserver {
  turn?(event: InboundEvent, result: TurnResult, durationMs: number): void;
  sent?(channel: ChannelId, messages: number): void;
  deliveryFailed?(channel: ChannelId, permanent: boolean): void;
}

/** What {@link Dispatcher} needs. */
export interface DispatcherOptions {
  readonly engine: Pick<ConversationEngine, 'handle'>;
  readonly senders: ReadonlyMap<ChannelId, MessageSender>;
  readonly logger: Logger;
  /** Keyed hash of a conversation key, the only conversation identifier logs may carry. */
  readonly hashKey: (key: ConversationKey) => string;
  readonly observer?: DispatchObserver;
  /** Where the ids of the bot's sent messages are kept, so the person can clear the chat later. */
  readonly sentIds?: MessageIdStore;
  readonly now?: () => number;
}

/**
 * Takes one accepted inbound event to the person's reply: runs the engine and
 * sends the replies on the event's own channel. Engine failures are thrown, so
 * that the inbox keeps the event and it is tried again. Send failures are
 * logged and do not fail the turn: the conversation has already moved on.
 */
export class Dispatcher {
  constructor(private readonly options: DispatcherOptions) {}

  /**
   * Runs one turn; `turnId` is the durable inbox entry id, if the event came
   * through one. Resolves to whether the replies reached the platform.
   */
  async process(event: InboundEvent, turnId?: string): Promise<boolean> {
    const { engine, senders, logger, hashKey, observer } = this.options;
    const channel = event.key.channel;
    const started = performance.now();
    let result: TurnResult;
    try {
      result = await engine.handle(event, turnId === undefined ? {} : { turnId });
    } catch (error) {
      logger.error({ channel, conversation: hashKey(event.key), err: errorSummary(error) }, 'turn failed');
      throw error;
    }
    observer?.turn?.(event, result, performance.now() - started);

    const sender = senders.get(channel);
    if (!sender) {
      logger.error({ channel, conversation: hashKey(event.key) }, 'no sender for channel');
      return false;
    }
    try {
      const sentAt = (this.options.now ?? Date.now)();
      const ids = await sender.send(event.key, result.messages);
      observer?.sent?.(channel, result.messages.length);
      // Nothing is kept for a conversation whose data was just erased, not even the ids of the reply saying so.
      if (ids && ids.length > 0 && !result.erased) await this.#keep(event.key, ids, sentAt);
      return true;
    } catch (error) {
      observer?.deliveryFailed?.(channel, error instanceof DeliveryError && error.permanent);
      logger.warn(
        { channel, conversation: hashKey(event.key), err: errorSummary(error), permanent: error instanceof DeliveryError && error.permanent },
        'delivery failed',
      );
      return false;
    } finally {
      if (result.erased) await this.#forget(sender, event.key);
    }
  }

  /** Lets the channel drop what it keeps to reach an erased conversation; a failure is logged, the turn stands. */
  async #forget(sender: MessageSender, key: ConversationKey): Promise<void> {
    const { logger, hashKey } = this.options;
    try {
      await sender.forget?.(key);
    } catch (error) {
      logger.warn({ channel: key.channel, conversation: hashKey(key), err: errorSummary(error) }, 'channel record not erased');
    }
  }

  /** Keeps the sent messages' ids; a failure only means they cannot be cleared later, so the turn still succeeds. */
  async #keep(key: ConversationKey, ids: readonly string[], at: number): Promise<void> {
    const { sentIds, logger, hashKey } = this.options;
    if (!sentIds) return;
    try {
      await sentIds.add(conversationKeyToString(key), ids.map((id) => ({ id, from: 'bot' as const, at })));
    } catch (error) {
      logger.warn({ channel: key.channel, conversation: hashKey(key), err: errorSummary(error) }, 'sent message ids not kept');
    }
  }
}
