import type { ChannelId, ConversationKey } from '../core/conversation-key.js';
import { DeliveryError } from '../core/errors.js';
import type { InboundEvent } from '../core/inbound-event.js';
import type { Logger } from '../core/logger.js';
import type { MessageSender } from '../core/sender.js';
import type { DeliveryLog } from '../core/store.js';
import type { ConversationEngine, TurnResult } from './conversation-engine.js';

/** Called after every handled turn, for metrics and (later) handoff. */
export type TurnObserver = (event: InboundEvent, result: TurnResult) => void;

/** What {@link Dispatcher} needs. */
export interface DispatcherOptions {
  readonly engine: Pick<ConversationEngine, 'handle'>;
  readonly deliveries: DeliveryLog;
  readonly senders: ReadonlyMap<ChannelId, MessageSender>;
  readonly logger: Logger;
  /** Keyed hash of a conversation key, the only conversation identifier logs may carry. */
  readonly hashKey: (key: ConversationKey) => string;
  readonly observe?: TurnObserver;
}

/**
 * Takes an inbound event from a channel to the person's reply: drops a
 * redelivered event, runs the engine, and sends the replies on the event's own
 * channel. Engine failures are passed back to the channel, which answers the
 * platform with an error so that it redelivers; the delivery id is forgotten
 * first so that the redelivery is not dropped. Send failures are logged and do
 * not fail the turn: the conversation has already moved on, and a redelivery
 * would only be dropped as a duplicate.
 */
export class Dispatcher {
  constructor(private readonly options: DispatcherOptions) {}

  async dispatch(event: InboundEvent): Promise<void> {
    const { engine, deliveries, senders, logger, hashKey, observe } = this.options;
    const conversation = hashKey(event.key);
    const deliveryId = event.messageId === undefined ? undefined : `${event.key.channel}:${event.messageId}`;
    if (deliveryId !== undefined && !(await deliveries.firstSeen(deliveryId))) {
      logger.info({ channel: event.key.channel, conversation }, 'duplicate delivery ignored');
      return;
    }

    let result: TurnResult;
    try {
      result = await engine.handle(event);
    } catch (error) {
      if (deliveryId !== undefined) await deliveries.forget(deliveryId).catch(() => undefined);
      logger.error({ channel: event.key.channel, conversation, err: errorSummary(error) }, 'turn failed');
      throw error;
    }
    observe?.(event, result);

    const sender = senders.get(event.key.channel);
    if (!sender) {
      logger.error({ channel: event.key.channel, conversation }, 'no sender for channel');
      return;
    }
    try {
      await sender.send(event.key, result.messages);
    } catch (error) {
      logger.warn(
        { channel: event.key.channel, conversation, err: errorSummary(error), permanent: error instanceof DeliveryError && error.permanent },
        'delivery failed',
      );
    }
  }
}

/** The parts of an error that are safe to log: its class, code and message chain, never a payload. */
export function errorSummary(error: unknown): { name: string; message: string; causes: string[] } {
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  const causes: string[] = [];
  let cause = error instanceof Error ? error.cause : undefined;
  while (cause !== undefined && causes.length < 5) {
    causes.push(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return { name, message, causes };
}
