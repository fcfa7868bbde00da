import type { App } from '../../src/app/create-app.js';
import type { ChannelId } from '../../src/core/conversation-key.js';

/** How many messages from people the app has taken in on a channel, read from its own /metrics exposition. */
export async function messagesIn(app: Pick<App, 'metrics'>, channel: ChannelId): Promise<number> {
  const exposition = await app.metrics.exposition();
  const match = new RegExp(`^ssb_messages_in_total\\{channel="${channel}"\\} (\\d+)$`, 'm').exec(exposition);
  return Number(match?.[1] ?? 0);
}
