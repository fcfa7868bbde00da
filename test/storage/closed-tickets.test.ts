import { describe, expect, it } from 'vitest';
import { createHandoffService } from '../../src/handoff/handoff-service.js';
import { newTicket, storeBackends, useTestRedis } from '../support/handoff-backends.js';

const redis = useTestRedis();
const KEY = 'telegram:424242';
const OTHER = 'telegram:515151';

describe.each(storeBackends(redis))('ended tickets kept for export, on $name', ({ make }) => {
  it('forgets every ended ticket of a conversation when the person deletes their data, and keeps everyone else’s', async () => {
    const stores = await make();
    const first = await stores.queue.enqueue(newTicket(), 1_000);
    await stores.queue.remove(first.id);
    await stores.closedTickets.record({ ticket: first, endedAt: 2_000 });
    const second = await stores.queue.enqueue(newTicket(), 3_000);
    const other = await stores.queue.enqueue(newTicket({ conversationKey: OTHER }), 3_000);
    await stores.queue.remove(other.id);
    await stores.closedTickets.record({ ticket: other, endedAt: 4_000 });

    const service = createHandoffService({ ...stores, available: async () => 'open' });
    await service.erase({ channel: 'telegram', id: '424242' });

    expect(await stores.closedTickets.get(first.id, 5_000)).toBeUndefined();
    expect(await stores.closedTickets.get(second.id, 5_000)).toBeUndefined();
    expect((await stores.closedTickets.get(other.id, 5_000))?.ticket.conversationKey).toBe(OTHER);
  });

  it('forgets a conversation’s ended tickets directly, and forgetting one with none is harmless', async () => {
    const stores = await make();
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    await stores.closedTickets.record({ ticket, endedAt: 2_000 });
    await stores.closedTickets.forget(OTHER);
    expect(await stores.closedTickets.get(ticket.id, 3_000)).toBeDefined();
    await stores.closedTickets.forget(KEY);
    expect(await stores.closedTickets.get(ticket.id, 3_000)).toBeUndefined();
  });
});

describe('ended tickets kept in Redis', () => {
  it('leave no key that holds the conversation once its data is deleted', async () => {
    const [, backend] = storeBackends(redis);
    const stores = await backend!.make();
    const client = await redis.client();
    const ticket = await stores.queue.enqueue(newTicket(), 1_000);
    await stores.queue.remove(ticket.id);
    await stores.closedTickets.record({ ticket, endedAt: 2_000 });
    const before = await client.keys('*closed*');
    expect(before.length).toBeGreaterThan(0);

    await stores.closedTickets.forget(KEY);

    for (const key of await client.keys('*closed*')) {
      expect(key).not.toContain('424242');
      const type = await client.type(key);
      const value = type === 'string' ? await client.get(key) : JSON.stringify(await client.sMembers(key));
      expect(value ?? '').not.toContain('424242');
    }
  });
});
