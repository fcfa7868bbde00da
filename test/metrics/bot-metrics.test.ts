import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/create-app.js';
import { readConfig } from '../../src/config/environment.js';
import type { InboundEvent } from '../../src/core/inbound-event.js';
import { silentLogger } from '../../src/core/logger.js';
import type { TurnResult } from '../../src/engine/conversation-engine.js';
import { ALLOWED_LABEL_NAMES, BotMetrics } from '../../src/metrics/bot-metrics.js';
import { FakeTelegramApi } from '../support/fake-telegram-api.js';

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as Record<string, any>;

const result = (extra: Partial<TurnResult> = {}): TurnResult => ({
  messages: [],
  locale: 'en-GB',
  danger: false,
  erased: false,
  rateLimited: false,
  ...extra,
});
const text = (id: string, words: string): InboundEvent => ({ key: { channel: 'telegram', id }, payload: { type: 'text', text: words }, messageId: '77' });

/** The value of one sample line, e.g. `ssb_messages_in_total{channel="telegram"}`. */
function sample(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Every label name used anywhere in the exposition, from every sample line. */
function labelNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#') || !line.includes('{')) continue;
    const labels = line.slice(line.indexOf('{') + 1, line.lastIndexOf('}'));
    for (const match of labels.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) names.add(match[1] as string);
  }
  return names;
}

/** Label values of the bot's own series (not prom-client's process metrics, not histogram bounds). */
function botLabelValues(exposition: string): string[] {
  return exposition
    .split('\n')
    .filter((l) => l.startsWith('ssb_') && !l.startsWith('ssb_nodejs_') && !l.startsWith('ssb_process_') && l.includes('{'))
    .flatMap((l) => [...l.matchAll(/([a-z_]+)="([^"]*)"/g)].filter((m) => m[1] !== 'le').map((m) => m[2] as string));
}

describe('BotMetrics', () => {
  let metrics: BotMetrics;
  afterEach(() => metrics?.close());

  it('exposes every bot metric by name, in its own registry, with zeroed series per channel', async () => {
    metrics = new BotMetrics();
    const text = await metrics.exposition();
    for (const name of [
      'ssb_messages_in_total',
      'ssb_messages_out_total',
      'ssb_risk_detections_total',
      'ssb_danger_detections_total',
      'ssb_handoffs_queued_total',
      'ssb_handoffs_claimed_total',
      'ssb_handoffs_abandoned_total',
      'ssb_handoff_queue_wait_seconds',
      'ssb_delivery_failures_total',
      'ssb_rate_limited_total',
      'ssb_chat_clears_total',
      'ssb_chat_clear_failures_total',
      'ssb_turn_duration_seconds',
      'ssb_event_loop_lag_seconds',
      'ssb_nodejs_eventloop_lag_p99_seconds',
      'ssb_process_resident_memory_bytes',
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
    expect(sample(text, 'ssb_messages_in_total{channel="botframework"}')).toBe(0);
    expect(sample(text, 'ssb_handoffs_abandoned_total{why="timeout"}')).toBe(0);
    for (const level of ['unclear', 'thoughts', 'imminent', 'harmed']) expect(sample(text, `ssb_risk_detections_total{level="${level}"}`)).toBe(0);
  });

  it('two instances do not share counters', async () => {
    metrics = new BotMetrics({ defaultMetrics: false });
    const other = new BotMetrics({ defaultMetrics: false });
    metrics.observeTurn(text('1', 'hi'), result(), 3);
    expect(sample(await other.exposition(), 'ssb_messages_in_total{channel="telegram"}')).toBe(0);
    other.close();
  });

  it('counts turns, risks, handoffs, rate limiting, sends and failures', async () => {
    metrics = new BotMetrics({ defaultMetrics: false });
    metrics.observeTurn(text('1', 'hi'), result(), 4);
    metrics.observeTurn(text('1', 'i want to end it'), result({ risk: 'thoughts', handoff: 'crisis', handoffQueued: true }), 12);
    metrics.observeTurn(text('1', 'i took the pills'), result({ risk: 'harmed' }), 2);
    metrics.observeTurn(text('2', 'he is outside my house'), result({ danger: true }), 8);
    metrics.observeTurn(text('3', 'spam'), result({ rateLimited: true }), 1);
    metrics.observeTurn(text('4', 'yes'), result({ cleared: { deleted: 7, failed: 2 } }), 1);
    metrics.observeTurn({ key: { channel: 'telegram', id: '1' }, payload: { type: 'handler', action: 'timeout' } }, result(), 2);
    metrics.observeTurn({ key: { channel: 'telegram', id: '1' }, payload: { type: 'timer', check: 'safety' } }, result(), 2);
    metrics.messagesOut('telegram', 3);
    metrics.messagesOut('twitter', 0);
    metrics.deliveryFailed('telegram', true);
    metrics.deliveryFailed('botframework', false);
    metrics.handoffClaimed(42);
    metrics.handoffAbandoned('cancelled');
    metrics.handoffAbandoned('timeout');
    metrics.handoffAbandoned('timeout');

    const out = await metrics.exposition();
    expect(sample(out, 'ssb_messages_in_total{channel="telegram"}')).toBe(6);
    expect(sample(out, 'ssb_chat_clears_total{channel="telegram"}')).toBe(1);
    expect(sample(out, 'ssb_chat_clear_failures_total{channel="telegram"}')).toBe(2);
    expect(sample(out, 'ssb_chat_clear_failures_total{channel="twitter"}')).toBe(0);
    expect(sample(out, 'ssb_risk_detections_total{level="thoughts"}')).toBe(1);
    expect(sample(out, 'ssb_risk_detections_total{level="harmed"}')).toBe(1);
    expect(sample(out, 'ssb_danger_detections_total')).toBe(1);
    expect(sample(out, 'ssb_handoffs_queued_total{reason="crisis"}')).toBe(1);
    expect(sample(out, 'ssb_handoffs_queued_total{reason="requested"}')).toBe(0);
    expect(sample(out, 'ssb_rate_limited_total')).toBe(1);
    expect(sample(out, 'ssb_turn_duration_seconds_count')).toBe(8);
    expect(sample(out, 'ssb_turn_duration_seconds_sum')).toBeCloseTo(0.032, 6);
    expect(sample(out, 'ssb_messages_out_total{channel="telegram"}')).toBe(3);
    expect(sample(out, 'ssb_messages_out_total{channel="twitter"}')).toBe(0);
    expect(sample(out, 'ssb_delivery_failures_total{channel="telegram",permanent="true"}')).toBe(1);
    expect(sample(out, 'ssb_delivery_failures_total{channel="botframework",permanent="false"}')).toBe(1);
    expect(sample(out, 'ssb_handoffs_claimed_total')).toBe(1);
    expect(sample(out, 'ssb_handoff_queue_wait_seconds_sum')).toBe(42);
    expect(sample(out, 'ssb_handoff_queue_wait_seconds_bucket{le="60"}')).toBe(1);
    expect(sample(out, 'ssb_handoff_queue_wait_seconds_bucket{le="30"}')).toBe(0);
    expect(sample(out, 'ssb_handoffs_abandoned_total{why="cancelled"}')).toBe(1);
    expect(sample(out, 'ssb_handoffs_abandoned_total{why="timeout"}')).toBe(2);
  });

  it('reports event-loop lag after the loop was blocked', async () => {
    metrics = new BotMetrics({ defaultMetrics: false, eventLoopResolutionMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const until = Date.now() + 60;
    while (Date.now() < until) {
      // Block the event loop on purpose, as a slow synchronous turn would.
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sample(await metrics.exposition(), 'ssb_event_loop_lag_seconds')).toBeGreaterThan(0.03);
  });

  it('uses only the allowed label names, including prom-client\'s own metrics', async () => {
    metrics = new BotMetrics();
    metrics.observeTurn(text('5012345678', 'my name is Sam Taylor'), result({ risk: 'thoughts', handoff: 'crisis', handoffQueued: true }), 5);
    metrics.deliveryFailed('telegram', false);
    metrics.handoffAbandoned('timeout');
    const out = await metrics.exposition();
    const allowedForProcess = new Set([...ALLOWED_LABEL_NAMES, 'le', 'quantile', 'version', 'major', 'minor', 'patch', 'type', 'kind', 'space']);
    for (const name of labelNames(out)) expect(allowedForProcess, name).toContain(name);
    const ownLines = out.split('\n').filter((l) => l.startsWith('ssb_') && !l.startsWith('ssb_nodejs_') && !l.startsWith('ssb_process_'));
    for (const line of ownLines.filter((l) => l.includes('{'))) {
      for (const name of labelNames(line)) expect([...ALLOWED_LABEL_NAMES, 'le'], line).toContain(name);
    }
    expect(out).not.toContain('5012345678');
    expect(out).not.toContain('Sam');
  });
});

describe('metrics from a real conversation over the Telegram webhook', () => {
  const SECRET = 'metrics-test-secret-0123';
  let api: FakeTelegramApi;
  let app: App;
  let base: string;

  beforeAll(async () => {
    api = await new FakeTelegramApi().start();
    const config = readConfig({ PORT: '0', HOST: '127.0.0.1', TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: api.url });
    app = await createApp(config, { logger: silentLogger });
    base = await app.listen();
  });

  afterAll(async () => {
    await app?.close();
    await api?.close();
  });

  it('counts the messages and the crisis, and the scrape carries no chat id, name or words', async () => {
    const message = fixture('telegram/private-text.json').message;
    const say = async (updateId: number, words: string) => {
      const res = await fetch(`${base}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify({ update_id: updateId, message: { ...message, message_id: updateId, text: words } }),
      });
      expect(res.status).toBe(200);
    };
    await say(880001, 'hi, someone is threatening to share my pics');
    await say(880002, 'i want to kill myself');
    await api.waitFor('sendMessage', 2);
    const deadline = Date.now() + 5000;
    let out = '';
    while (Date.now() < deadline) {
      out = await (await fetch(`${base}/metrics`)).text();
      if (sample(out, 'ssb_messages_in_total{channel="telegram"}') === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(sample(out, 'ssb_messages_in_total{channel="telegram"}')).toBe(2);
    expect(sample(out, 'ssb_risk_detections_total{level="thoughts"}')).toBe(1);
    for (const value of botLabelValues(out)) expect(['terminal', 'telegram', 'botframework', 'twitter', 'requested', 'crisis', 'danger', 'child-at-risk', 'cancelled', 'timeout', 'true', 'false', 'unclear', 'thoughts', 'imminent', 'harmed']).toContain(value);
    expect(out).not.toContain(String(message.chat.id));
    expect(out).not.toContain(message.from.username);
    expect(out).not.toContain('Sam');
    expect(out).not.toMatch(/kill|pics/);
  });
});
