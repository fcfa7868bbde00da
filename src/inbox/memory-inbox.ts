import type { InboundEvent } from '../core/inbound-event.js';
import type { Logger } from '../core/logger.js';
import type { DeliveryLog } from '../core/store.js';
import type { Dispatcher } from '../engine/dispatcher.js';
import { deliveryId, type Inbox } from './inbox.js';

/**
 * The embedded inbox: processes each event inside the request that brought it,
 * so the webhook answers once the reply has gone. A redelivered event is
 * dropped; if the turn fails, its delivery id is forgotten again so the
 * platform's retry is handled.
 */
export class MemoryInbox implements Inbox {
  constructor(
    private readonly dispatcher: Pick<Dispatcher, 'process'>,
    private readonly deliveries: DeliveryLog,
    private readonly logger: Logger,
  ) {}

  async submit(event: InboundEvent): Promise<void> {
    const id = deliveryId(event);
    if (id !== undefined && !(await this.deliveries.firstSeen(id))) {
      this.logger.info({ channel: event.key.channel }, 'duplicate delivery ignored');
      return;
    }
    try {
      await this.dispatcher.process(event);
    } catch (error) {
      if (id !== undefined) await this.deliveries.forget(id).catch(() => undefined);
      throw error;
    }
  }
}
