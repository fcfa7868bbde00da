import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { Samples } from './stats.js';
import type { SinkMessage, TelegramSink } from './telegram-sink.js';

/** The secret the bench server is configured with. */
export const BENCH_SECRET = 'bench-webhook-secret-0123456789';

/** Buttons someone who just follows them presses, heading for the report step (as the whole-conversation test does). */
const FORWARD = ['next', 'continue', 'safe', 'adult', 'not_paid'];
const FREE_TEXT = ['how do i block him', 'should i pay', 'is this a crime', 'who can i call'];
const CRISIS = ['i want to kill myself', 'i dont want to be alive anymore'];
/** A whole conversation is at most this many messages, so every walk ends. */
const MAX_STEPS = 14;

/** What one phase of load measured. */
export interface LoadResult {
  readonly sent: number;
  readonly answered: number;
  readonly failed: number;
  readonly seconds: number;
  readonly ack: Samples;
  readonly reply: Samples;
  readonly conversationsFinished: number;
}

/** Where the load goes and how it is shaped. A target serves one loop, which closes its pool. */
export interface LoadTarget {
  readonly base: string;
  /** The fake Telegram API, or undefined for the bare baseline (then only the acknowledgement is waited for). */
  readonly sink: TelegramSink | undefined;
  /** Keep-alive connections to the server under test. */
  readonly pool: Pool;
  /** Distinct chat ids per phase, so phases never share conversations. */
  readonly firstChatId: number;
  /** Seeded choice of crisis and free-text turns, so runs are comparable. */
  readonly random: () => number;
}

/**
 * Up to `connections` keep-alive connections to the server under test. undici
 * rather than node:http because the load generator shares the machine's two
 * cores with the bot: the less CPU each request costs here, the more of the
 * machine the figures measure the bot on.
 */
export const loadPool = (base: string, connections: number): Pool => new Pool(base, { connections, keepAliveTimeout: 30_000 });

/** A small deterministic PRNG (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let updateId = 100_000_000;

async function post(target: LoadTarget, body: string): Promise<number> {
  const response = await target.pool.request({
    path: '/webhooks/telegram',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': BENCH_SECRET },
    body,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  await response.body.dump();
  return response.statusCode;
}

/** A real-shaped Telegram update: a private text message or a button press. */
function update(chatId: number, step: { text: string } | { choice: string }): string {
  const id = ++updateId;
  const from = { id: chatId, is_bot: false, first_name: 'Bench', language_code: 'en' };
  if ('text' in step) {
    return JSON.stringify({ update_id: id, message: { message_id: id, from, chat: { id: chatId, first_name: 'Bench', type: 'private' }, date: Math.floor(Date.now() / 1000), text: step.text } });
  }
  return JSON.stringify({
    update_id: id,
    callback_query: {
      id: `cb${id}`,
      from,
      message: { message_id: id - 1, from: { id: 123456789, is_bot: true, first_name: 'Support Bot' }, chat: { id: chatId, type: 'private' }, date: Math.floor(Date.now() / 1000), text: '…' },
      chat_instance: '-6473285146271846932',
      data: step.choice,
    },
  });
}

/**
 * One simulated person walking a whole conversation: greeting, then the
 * forward button of each step to the report, with now and then a free-text
 * question (about 25% of walks) or a crisis message (about 5%). A turn is
 * over when a message with buttons arrives (every step ends with them) or
 * 300 ms after the last message, so a late message is never taken for the
 * next turn's reply.
 */
class Person {
  #step = 0;
  #choices: readonly string[] = [];
  #waiting: ((done: { firstAt: number } | undefined) => void) | undefined;
  #firstAt = 0;
  #quiet: NodeJS.Timeout | undefined;
  readonly #extra: { at: number; text: string } | undefined;

  constructor(
    readonly chatId: number,
    private readonly target: LoadTarget,
  ) {
    const r = target.random();
    if (r < 0.05) this.#extra = { at: 1 + Math.floor(target.random() * 6), text: CRISIS[Math.floor(target.random() * CRISIS.length)] as string };
    else if (r < 0.3) this.#extra = { at: 1 + Math.floor(target.random() * 6), text: FREE_TEXT[Math.floor(target.random() * FREE_TEXT.length)] as string };
    target.sink?.listen(chatId, (m) => this.#onMessage(m));
  }

  /** The next message to send, or undefined when the walk is over. */
  next(): { text: string } | { choice: string } | undefined {
    if (this.#step >= MAX_STEPS) return undefined;
    if (this.#step === 0) return { text: 'hi, someone is threatening to share my pics' };
    if (this.#extra && this.#step === this.#extra.at) return { text: this.#extra.text };
    const forward = FORWARD.find((id) => this.#choices.includes(id));
    return forward === undefined ? undefined : { choice: forward };
  }

  /** Sends one message; resolves with the acknowledgement and reply times in ms, or undefined on failure. */
  async send(step: { text: string } | { choice: string }): Promise<{ ackMs: number; replyMs?: number } | undefined> {
    this.#step++;
    const started = performance.now();
    const turn = this.target.sink
      ? new Promise<{ firstAt: number } | undefined>((resolve) => {
          this.#firstAt = 0;
          this.#waiting = resolve;
          setTimeout(() => this.#finish(false), 10_000).unref();
        })
      : Promise.resolve(undefined);
    let status: number;
    try {
      status = await post(this.target, update(this.chatId, step));
    } catch {
      this.#finish(false);
      return undefined;
    }
    const ackMs = performance.now() - started;
    if (status !== 200) {
      this.#finish(false);
      return undefined;
    }
    if (!this.target.sink) return { ackMs };
    const done = await turn;
    return done ? { ackMs, replyMs: done.firstAt - started } : undefined;
  }

  close(): void {
    this.target.sink?.forget(this.chatId);
    clearTimeout(this.#quiet);
  }

  #onMessage(message: SinkMessage): void {
    if (!this.#waiting) return;
    if (this.#firstAt === 0) this.#firstAt = message.at;
    clearTimeout(this.#quiet);
    if (message.choices.length > 0) {
      this.#choices = message.choices;
      this.#finish(true);
    } else {
      this.#quiet = setTimeout(() => this.#finish(true), 300);
    }
  }

  #finish(ok: boolean): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    clearTimeout(this.#quiet);
    waiting?.(ok && this.#firstAt > 0 ? { firstAt: this.#firstAt } : undefined);
  }
}

/**
 * Closed loop: `users` people at once, each sending the next message as soon
 * as the previous one is answered, starting a new conversation when one ends.
 * Gives the most the server sustains.
 */
export async function closedLoop(target: LoadTarget, { users, seconds }: { users: number; seconds: number }): Promise<LoadResult> {
  const ack = new Samples();
  const reply = new Samples();
  let sent = 0;
  let answered = 0;
  let failed = 0;
  let finished = 0;
  let chatId = target.firstChatId;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const person = new Person(chatId++, target);
      for (let step = person.next(); step && performance.now() < deadline; step = person.next()) {
        sent++;
        const result = await person.send(step);
        if (!result) {
          failed++;
          break;
        }
        answered++;
        ack.add(result.ackMs);
        if (result.replyMs !== undefined) reply.add(result.replyMs);
      }
      finished++;
      person.close();
    }
  };
  await Promise.all(Array.from({ length: users }, worker));
  await target.pool.close();
  return { sent, answered, failed, seconds: (performance.now() - started) / 1000, ack, reply, conversationsFinished: finished };
}

/**
 * Open loop: messages offered at a fixed rate whatever the server does, each
 * from a person whose previous turn is over (a new conversation when nobody
 * is free), so latency is measured as a real arrival process would see it.
 */
export async function openLoop(target: LoadTarget, { rate, seconds, maxPeople = 20_000 }: { rate: number; seconds: number; maxPeople?: number }): Promise<LoadResult & { skipped: number }> {
  const ack = new Samples();
  const reply = new Samples();
  let sent = 0;
  let answered = 0;
  let failed = 0;
  let finished = 0;
  let skipped = 0;
  let chatId = target.firstChatId;
  let people = 0;
  const idle: Person[] = [];
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const deadline = started + seconds * 1000;

  const fire = () => {
    let person = idle.pop();
    let step = person?.next();
    while (person && !step) {
      person.close();
      people--;
      finished++;
      person = idle.pop();
      step = person?.next();
    }
    if (!person || !step) {
      if (people >= maxPeople) {
        skipped++;
        return;
      }
      person = new Person(chatId++, target);
      people++;
      step = person.next() as { text: string };
    }
    const who = person;
    sent++;
    const p = who.send(step).then((result) => {
      if (result) {
        answered++;
        ack.add(result.ackMs);
        if (result.replyMs !== undefined) reply.add(result.replyMs);
        idle.push(who);
      } else {
        failed++;
        who.close();
        people--;
      }
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  while (performance.now() < deadline) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    while (sent + skipped < due) fire();
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await Promise.race([Promise.all(inFlight), new Promise((resolve) => setTimeout(resolve, 15_000))]);
  for (const person of idle) person.close();
  await target.pool.destroy();
  return { sent, answered, failed, skipped, seconds: (performance.now() - started) / 1000, ack, reply, conversationsFinished: finished };
}
