import type { InboundEvent } from '../core/inbound-event.js';

/**
 * Where channels hand over inbound events. `submit` resolves once the event is
 * safely accepted (for the Redis inbox: recorded durably, so the webhook may
 * answer 200) and rejects when it could not be, so the webhook answers with an
 * error and the platform redelivers. A redelivered event (same channel and
 * platform message id) is accepted once.
 */
export interface Inbox {
  submit(event: InboundEvent): Promise<void>;
  /** Starts background processing, if the inbox has any. */
  start?(): Promise<void>;
  /** Stops taking new work, finishes what is in flight. */
  stop?(): Promise<void>;
}

/** The id that makes a delivery unique across channels, or undefined when the platform gave none. */
export function deliveryId(event: InboundEvent): string | undefined {
  return event.messageId === undefined ? undefined : `${event.key.channel}:${event.messageId}`;
}
