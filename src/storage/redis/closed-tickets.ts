import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import type { ClosedTicket, ClosedTickets } from '../../handoff/handoff-model.js';

/** Where {@link RedisClosedTickets} keeps its records, and for how long. */
export interface RedisClosedTicketsOptions {
  readonly client: RedisClient;
  /** One key per ticket ({@link RedisKeys.closedTicket}) and one set per conversation ({@link RedisKeys.closedTicketsOf}). */
  readonly keys: RedisKeys;
  readonly keepMs: number;
}

/**
 * Closed tickets shared by every instance: one JSON value per ticket, expiring `keepMs` after it ended, and per
 * conversation the set of its closed tickets' ids (expiring with the last of them), so that "delete my data" finds and removes them all.
 */
export class RedisClosedTickets implements ClosedTickets {
  readonly #client: RedisClient;
  readonly #keys: RedisKeys;
  readonly #keepMs: number;

  constructor({ client, keys, keepMs }: RedisClosedTicketsOptions) {
    this.#client = client;
    this.#keys = keys;
    this.#keepMs = keepMs;
  }

  async record(closed: ClosedTicket): Promise<void> {
    const ofConversation = this.#ofConversation(closed.ticket.conversationKey);
    await this.#client
      .multi()
      .set(this.#keys.closedTicket(closed.ticket.id), JSON.stringify(closed), { expiration: { type: 'PX', value: this.#keepMs } })
      .sAdd(ofConversation, closed.ticket.id)
      .pExpire(ofConversation, this.#keepMs)
      .exec();
  }

  async get(id: string, now: number): Promise<ClosedTicket | undefined> {
    const raw = await this.#client.get(this.#keys.closedTicket(id));
    if (raw === null) return undefined;
    const closed = JSON.parse(raw) as ClosedTicket;
    return now < closed.endedAt + this.#keepMs ? closed : undefined;
  }

  async forget(conversationKey: string): Promise<void> {
    const ofConversation = this.#ofConversation(conversationKey);
    const ids = await this.#client.sMembers(ofConversation);
    await this.#client.del([ofConversation, ...ids.map((id) => this.#keys.closedTicket(id))]);
  }

  #ofConversation(conversationKey: string): string {
    return this.#keys.closedTicketsOf(conversationKey);
  }
}
