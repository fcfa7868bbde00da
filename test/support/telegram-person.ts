import { readFileSync } from 'node:fs';
import type { FakeTelegramApi } from './fake-telegram-api.js';

/** What a {@link telegramPerson} is written to and read from. */
export interface TelegramPersonOptions {
  /** The bot's address (`http://127.0.0.1:port`). */
  readonly base: string;
  /** The webhook's secret token. */
  readonly secret: string;
  /** The fake Telegram API the bot sends to. */
  readonly telegram: FakeTelegramApi;
  /** The person's chat (and user) id. */
  readonly chat: number;
  /** How long {@link TelegramPerson.receivedText} waits. */
  readonly timeoutMs?: number;
}

/** One message the person received: its text and the ids of its buttons. */
export interface ReceivedMessage {
  readonly text: string;
  readonly choices: string[];
}

/** A person writing to the bot on Telegram, through the real webhook, and what the bot sent them. */
export interface TelegramPerson {
  /** The person types a message; it reaches the bot through the webhook. */
  say(text: string): Promise<void>;
  /** The person presses a button the bot offered. */
  press(choiceId: string): Promise<void>;
  /** Messages the fake Telegram API received for the person's chat, oldest first. */
  received(): ReceivedMessage[];
  /** Waits for a message containing `fragment` at or after index `after`; its index. */
  receivedText(fragment: string, after?: number): Promise<number>;
  /** The Telegram message ids of what the person typed, oldest first. */
  typedIds(): string[];
}

let updateId = 800_000;

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as Record<string, any>;

/** A {@link TelegramPerson} in chat `chat`. */
export function telegramPerson({ base, secret, telegram, chat, timeoutMs = 10_000 }: TelegramPersonOptions): TelegramPerson {
  const post = async (update: Record<string, unknown>) => {
    const response = await fetch(`${base}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify({ update_id: ++updateId, ...update }),
    });
    if (response.status !== 200) throw new Error(`the Telegram webhook answered ${response.status}`);
  };
  const received = (): ReceivedMessage[] =>
    telegram
      .calls('sendMessage')
      .filter((c) => String(c.body.chat_id) === String(chat))
      .map((c) => {
        const markup = typeof c.body.reply_markup === 'string' ? JSON.parse(c.body.reply_markup) : c.body.reply_markup;
        const rows = (markup?.inline_keyboard ?? []) as { callback_data?: string }[][];
        return { text: String(c.body.text), choices: rows.flat().flatMap((b) => (b.callback_data ? [b.callback_data] : [])) };
      });
  const typed: string[] = [];
  return {
    async say(text) {
      const message = fixture('telegram/private-text.json').message;
      const messageId = updateId + 1;
      typed.push(String(messageId));
      const date = Math.floor(Date.now() / 1000);
      await post({ message: { ...message, message_id: messageId, date, chat: { ...message.chat, id: chat }, from: { ...message.from, id: chat }, text } });
    },
    typedIds: () => [...typed],
    async press(choiceId) {
      const query = fixture('telegram/callback-query.json').callback_query;
      const message = { ...query.message, chat: { ...query.message.chat, id: chat } };
      await post({ callback_query: { ...query, id: String(updateId), from: { ...query.from, id: chat }, message, data: choiceId } });
    },
    received,
    async receivedText(fragment, after = 0) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = received().findIndex((m, i) => i >= after && m.text.includes(fragment));
        if (index >= 0) return index;
        if (Date.now() > deadline) throw new Error(`Telegram chat never received ${JSON.stringify(fragment)}: ${JSON.stringify(received().map((m) => m.text))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
