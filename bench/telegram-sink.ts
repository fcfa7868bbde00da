import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What arrived at the fake API for one chat: when, and the buttons it offered. */
export interface SinkMessage {
  readonly at: number;
  readonly choices: readonly string[];
}

/**
 * A lean stand-in for the Telegram Bot API for the benchmark. Unlike the
 * test fake it keeps nothing: each `sendMessage` is handed to the listener of
 * its chat (the simulated user) with its arrival time and button ids, so
 * memory stays flat however long the run.
 */
export class TelegramSink {
  readonly token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
  readonly #listeners = new Map<number, (message: SinkMessage) => void>();
  readonly #server: Server;
  /** sendMessage calls received, for the report. */
  sent = 0;
  /** Bot API calls of any method received, for the report. */
  calls = 0;
  /** sendMessage calls for a chat nobody was listening to (late or stray replies). */
  unmatched = 0;

  constructor(private readonly now: () => number) {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const at = this.now();
        this.calls++;
        const method = /\/([A-Za-z]+)$/.exec(req.url ?? '')?.[1] ?? '';
        let result: unknown = true;
        if (method === 'sendMessage') {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { chat_id: number; reply_markup?: { inline_keyboard?: { callback_data?: string }[][] } };
          this.sent++;
          const choices = (body.reply_markup?.inline_keyboard ?? []).flat().flatMap((b) => (b.callback_data ? [b.callback_data] : []));
          const listener = this.#listeners.get(Number(body.chat_id));
          if (listener) listener({ at, choices });
          else this.unmatched++;
          result = { message_id: this.sent, chat: { id: body.chat_id, type: 'private' }, date: Math.floor(Date.now() / 1000), text: '' };
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, result }));
      });
    });
    this.#server.keepAliveTimeout = 30_000;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  listen(chatId: number, listener: (message: SinkMessage) => void): void {
    this.#listeners.set(chatId, listener);
  }

  forget(chatId: number): void {
    this.#listeners.delete(chatId);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
