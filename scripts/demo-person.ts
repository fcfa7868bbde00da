import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message the simulated person received: who it came from, as far as the person can tell, and its text. */
export interface ReceivedMessage {
  readonly text: string;
  readonly buttons: readonly string[];
}

/** What {@link SimulatedPerson} needs. */
export interface SimulatedPersonOptions {
  /** The bot's address, e.g. `http://127.0.0.1:3978`. */
  readonly bot: string;
  /** Told about every message the person receives, in order. */
  readonly onMessage: (message: ReceivedMessage) => void;
}

/**
 * A person writing to the bot on Web Chat, for `npm run demo`: it posts
 * Bot Framework activities to the bot's `/api/messages` (in the demo's
 * unauthenticated local mode) and receives the bot's and the call handler's
 * replies on a small HTTP server of its own on 127.0.0.1, which it gives the
 * bot as the activities' `serviceUrl`, as Web Chat's connector would be.
 */
export class SimulatedPerson {
  readonly #options: SimulatedPersonOptions;
  readonly #server: Server;
  readonly #conversation = `demo-${randomUUID()}`;
  readonly #user = `demo-person-${randomUUID()}`;
  #sent = 0;

  constructor(options: SimulatedPersonOptions) {
    this.#options = options;
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const activity = parseActivity(Buffer.concat(chunks).toString('utf8'));
        if (request.method === 'POST' && /^\/v3\/conversations\/[^/]+\/activities/.test(request.url ?? '') && activity?.type === 'message') {
          this.#options.onMessage({ text: String(activity.text ?? ''), buttons: buttonLabels(activity) });
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: randomUUID() }));
      });
    });
  }

  /** Starts receiving replies, on 127.0.0.1 and a free port. */
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
  }

  /** The conversation's id on the bot's side, as the handoff queue keys it. */
  get conversationKey(): string {
    return `botframework:webchat:${this.#conversation}`;
  }

  /** The person types `text`; resolves once the bot has taken it (its replies have been sent by then). */
  async say(text: string): Promise<void> {
    const { port } = this.#server.address() as AddressInfo;
    const response = await fetch(`${this.#options.bot}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `${this.#conversation}|${++this.#sent}`,
        timestamp: new Date().toISOString(),
        serviceUrl: `http://127.0.0.1:${port}/`,
        channelId: 'webchat',
        from: { id: this.#user },
        conversation: { id: this.#conversation },
        recipient: { id: 'demo-bot' },
        locale: 'en-GB',
        text,
      }),
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`the bot answered ${response.status}`);
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

function parseActivity(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The labels of the buttons (suggested actions) an activity offers. */
function buttonLabels(activity: Record<string, unknown>): string[] {
  const actions = (activity.suggestedActions as { actions?: { title?: unknown }[] } | undefined)?.actions ?? [];
  return actions.map((action) => String(action.title ?? ''));
}
