import { describe, expect, it } from 'vitest';
import { createBotCore } from '../../src/app/bot-core.js';
import type { ChannelId, ConversationKey } from '../../src/core/conversation-key.js';
import { DeliveryError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import type { OutboundMessage } from '../../src/core/outbound-message.js';
import type { MessageSender } from '../../src/core/sender.js';
import { Dispatcher } from '../../src/engine/dispatcher.js';

const core = await createBotCore();

function dispatcher(sender: MessageSender | undefined, failures: boolean[] = []) {
  const senders = new Map<ChannelId, MessageSender>(sender ? [['terminal', sender]] : []);
  return new Dispatcher({
    engine: core.engine,
    senders,
    logger: silentLogger,
    hashKey: (k) => k.id,
    observer: { deliveryFailed: (_channel, permanent) => failures.push(permanent) },
  });
}

const hello = (id: string) => ({ key: { channel: 'terminal' as const, id }, payload: { type: 'text' as const, text: 'hello' } });

describe('Dispatcher', () => {
  it('runs the turn, sends the replies on the event’s channel and says they were delivered', async () => {
    const sent: { key: ConversationKey; messages: readonly OutboundMessage[] }[] = [];
    const d = dispatcher({ send: async (key, messages) => void sent.push({ key, messages }) });
    await expect(d.process(hello('d1'))).resolves.toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.key).toEqual({ channel: 'terminal', id: 'd1' });
    expect(sent[0]?.messages[0]?.text).toBe(core.renderer.text('welcome.short', 'en-GB'));
  });

  it('says the replies were not delivered when the platform refused them, without failing the turn', async () => {
    const failures: boolean[] = [];
    const d = dispatcher(
      {
        send: async () => {
          throw new DeliveryError('blocked', { permanent: true });
        },
      },
      failures,
    );
    await expect(d.process(hello('d2'))).resolves.toBe(false);
    expect(failures).toEqual([true]);
  });

  it('says nothing was delivered when no sender serves the channel', async () => {
    await expect(dispatcher(undefined).process(hello('d3'))).resolves.toBe(false);
  });
});
