import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ChannelHealth } from '../channels/channel.js';
import { CHANNEL_IDS, type ChannelId } from '../core/conversation-key.js';
import type { InboundEvent } from '../core/inbound-event.js';
import type { TurnResult } from '../engine/conversation-engine.js';
import { HANDOFF_REASONS, RISK_LEVELS, type RiskLevel } from '../../flows/safeguarding.js';

/** Why a queued person left the queue without a handler: they cancelled, or nobody came in time. */
export type AbandonReason = 'cancelled' | 'timeout';

/**
 * The only label names the bot's metrics may carry. Each has a small, fixed
 * set of values (a channel, a handoff reason, why a handoff ended, whether a
 * failure was permanent), so no label can ever hold a platform id, a name or
 * anything a person typed. The metrics test asserts the exposition against
 * this list.
 */
export const ALLOWED_LABEL_NAMES: readonly string[] = ['channel', 'reason', 'why', 'permanent', 'level'];

/** How {@link BotMetrics} is built; the defaults suit production. */
export interface BotMetricsOptions {
  /** Prefix of every metric name, including prom-client's process and Node.js metrics. */
  readonly prefix?: string;
  /** Collect prom-client's process metrics (CPU, memory, handles, GC, event-loop lag percentiles). */
  readonly defaultMetrics?: boolean;
  /** Resolution of the event-loop delay monitor behind `<prefix>event_loop_lag_seconds`. */
  readonly eventLoopResolutionMs?: number;
}

/**
 * The bot's operational metrics, in their own prom-client {@link Registry}
 * (never the global default one), so several apps in one process (tests, the
 * benchmark) do not share counters and nothing registers behind anyone's back.
 *
 * Only counts, durations and fixed-vocabulary labels are recorded: no
 * conversation key, platform id or message text ever reaches a metric, so a
 * scrape can be shared with an operations team without exposing who wrote.
 */
export class BotMetrics {
  /** The registry `GET /metrics` serialises. */
  readonly registry: Registry;

  readonly #messagesIn: Counter<'channel'>;
  readonly #messagesOut: Counter<'channel'>;
  readonly #risk: Counter<'level'>;
  readonly #danger: Counter;
  readonly #handoffsQueued: Counter<'reason'>;
  readonly #handoffsClaimed: Counter;
  readonly #handoffsAbandoned: Counter<'why'>;
  readonly #queueWait: Histogram;
  readonly #deliveryFailures: Counter<'channel' | 'permanent'>;
  readonly #rateLimited: Counter;
  readonly #chatClears: Counter<'channel'>;
  readonly #chatClearFailures: Counter<'channel'>;
  readonly #turnDuration: Histogram;
  readonly #loopDelay: IntervalHistogram;
  readonly #prefix: string;

  constructor({ prefix = 'ssb_', defaultMetrics = true, eventLoopResolutionMs = 20 }: BotMetricsOptions = {}) {
    const registry = new Registry();
    this.registry = registry;
    this.#prefix = prefix;
    const registers = [registry];

    this.#messagesIn = new Counter({ name: `${prefix}messages_in_total`, help: 'Messages received from people, per channel.', labelNames: ['channel'], registers });
    this.#messagesOut = new Counter({ name: `${prefix}messages_out_total`, help: 'Messages handed to a platform, per channel.', labelNames: ['channel'], registers });
    this.#risk = new Counter({
      name: `${prefix}risk_detections_total`,
      help: 'Messages read as a risk to the person\'s own life, by level (unclear, thoughts, imminent, harmed).',
      labelNames: ['level'],
      registers,
    });
    this.#danger = new Counter({ name: `${prefix}danger_detections_total`, help: 'Messages read as immediate danger.', registers });
    this.#handoffsQueued = new Counter({ name: `${prefix}handoffs_queued_total`, help: 'Conversations queued for a call handler, by why.', labelNames: ['reason'], registers });
    this.#handoffsClaimed = new Counter({ name: `${prefix}handoffs_claimed_total`, help: 'Queued conversations a call handler took.', registers });
    this.#handoffsAbandoned = new Counter({
      name: `${prefix}handoffs_abandoned_total`,
      help: 'Queued conversations that left the queue without a handler: cancelled by the person, or timed out.',
      labelNames: ['why'],
      registers,
    });
    this.#queueWait = new Histogram({
      name: `${prefix}handoff_queue_wait_seconds`,
      help: 'Time from queueing to a call handler claiming the conversation.',
      buckets: [5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600],
      registers,
    });
    this.#deliveryFailures = new Counter({
      name: `${prefix}delivery_failures_total`,
      help: 'Replies a platform did not accept, per channel; permanent="true" when retrying cannot help (blocked, chat gone).',
      labelNames: ['channel', 'permanent'],
      registers,
    });
    this.#rateLimited = new Counter({ name: `${prefix}rate_limited_total`, help: 'Messages over the per-person rate limit (not run through the flow).', registers });
    this.#chatClears = new Counter({ name: `${prefix}chat_clears_total`, help: 'Chats cleared at the person\'s request ("clear this chat"), per channel.', labelNames: ['channel'], registers });
    this.#chatClearFailures = new Counter({
      name: `${prefix}chat_clear_failures_total`,
      help: 'Messages a platform would not delete when a chat was cleared, per channel (the person is told; a steady rise means the platform refuses, e.g. a missing permission).',
      labelNames: ['channel'],
      registers,
    });
    this.#turnDuration = new Histogram({
      name: `${prefix}turn_duration_seconds`,
      help: 'Time to handle one inbound event: load, run the flow, save, send.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });

    this.#loopDelay = monitorEventLoopDelay({ resolution: eventLoopResolutionMs });
    this.#loopDelay.enable();
    const loopDelay = this.#loopDelay;
    new Gauge({
      name: `${prefix}event_loop_lag_seconds`,
      help: '99th percentile event-loop delay since the previous scrape: how late timers and I/O callbacks ran.',
      registers,
      collect() {
        this.set(loopDelay.count > 0 ? loopDelay.percentile(99) / 1e9 : 0);
        loopDelay.reset();
      },
    });

    // Every channel, so each counter shows 0 from the start instead of appearing on first use.
    for (const channel of CHANNEL_IDS) {
      this.#messagesIn.inc({ channel }, 0);
      this.#messagesOut.inc({ channel }, 0);
      this.#chatClears.inc({ channel }, 0);
      this.#chatClearFailures.inc({ channel }, 0);
    }
    for (const reason of HANDOFF_REASONS) this.#handoffsQueued.inc({ reason }, 0);
    for (const level of RISK_LEVELS) this.#risk.inc({ level }, 0);
    for (const why of ['cancelled', 'timeout'] as const) this.#handoffsAbandoned.inc({ why }, 0);

    if (defaultMetrics) collectDefaultMetrics({ register: registry, prefix, eventLoopMonitoringPrecision: eventLoopResolutionMs });
  }

  /**
   * Records one handled turn (the dispatcher's observer). Handler actions and
   * the queue's time-out travel through the same path but are not messages
   * from a person, so they count towards turn time only.
   */
  observeTurn(event: InboundEvent, result: TurnResult, durationMs: number): void {
    if (event.payload.type !== 'handler' && event.payload.type !== 'timer') this.#messagesIn.inc({ channel: event.key.channel });
    if (result.risk !== undefined) this.#risk.inc({ level: result.risk satisfies RiskLevel });
    if (result.danger) this.#danger.inc();
    if (result.handoff !== undefined && result.handoffQueued) this.#handoffsQueued.inc({ reason: result.handoff });
    if (result.rateLimited) this.#rateLimited.inc();
    if (result.cleared) {
      this.#chatClears.inc({ channel: event.key.channel });
      if (result.cleared.failed > 0) this.#chatClearFailures.inc({ channel: event.key.channel }, result.cleared.failed);
    }
    this.#turnDuration.observe(Math.max(0, durationMs) / 1000);
  }

  /** Counts messages handed to a platform. */
  messagesOut(channel: ChannelId, n: number): void {
    if (n > 0) this.#messagesOut.inc({ channel }, n);
  }

  /** Counts a reply the platform refused; `permanent` when retrying cannot help. */
  deliveryFailed(channel: ChannelId, permanent: boolean): void {
    this.#deliveryFailures.inc({ channel, permanent: permanent ? 'true' : 'false' });
  }

  /** A call handler took a queued conversation after `waitSeconds` in the queue. */
  handoffClaimed(waitSeconds: number): void {
    this.#handoffsClaimed.inc();
    this.#queueWait.observe(Math.max(0, waitSeconds));
  }

  /** A queued conversation left the queue without a handler. */
  handoffAbandoned(why: AbandonReason): void {
    this.#handoffsAbandoned.inc({ why });
  }

  /**
   * Exports, at every scrape, what each channel with a health view knows of
   * its platform's deliveries: when its webhook last answered a challenge and
   * last received an event (Unix seconds, 0 for never), whether the platform
   * says the webhook is valid and the subscription in place (1, 0, or absent
   * before the first check), and messages that could not be read. An alert
   * on `time() - ssb_channel_last_event_timestamp_seconds` or on
   * `ssb_channel_subscription_active == 0` tells a force that X stopped delivering.
   */
  watchChannels(channels: readonly { readonly id: ChannelId; health?(): ChannelHealth }[]): void {
    const watched = channels.flatMap((c) => (c.health === undefined ? [] : [{ id: c.id, health: c.health.bind(c) }]));
    if (watched.length === 0) return;
    const registers = [this.registry];
    const seconds = (ms: number | undefined) => (ms === undefined ? 0 : ms / 1000);
    const gauge = (name: string, help: string, value: (h: ChannelHealth) => number | undefined) =>
      new Gauge({
        name: `${this.#prefix}${name}`,
        help,
        labelNames: ['channel'],
        registers,
        collect() {
          this.reset();
          for (const { id, health } of watched) {
            const v = value(health());
            if (v !== undefined) this.set({ channel: id }, v);
          }
        },
      });
    gauge('channel_last_challenge_timestamp_seconds', 'When this instance last answered the platform\'s webhook challenge (Unix time; 0: never).', (h) => seconds(h.lastChallengeAt));
    gauge('channel_last_event_timestamp_seconds', 'When a verified platform delivery last reached this instance (Unix time; 0: never).', (h) => seconds(h.lastEventAt));
    gauge('channel_webhook_valid', 'Whether the platform said, at its last check, that a registered webhook passed its challenge (1 or 0).', (h) =>
      h.webhookValid === undefined ? undefined : Number(h.webhookValid),
    );
    gauge('channel_subscription_active', 'Whether the platform had, at its last check, a subscription delivering the account\'s messages (1 or 0).', (h) =>
      h.subscribed === undefined ? undefined : Number(h.subscribed),
    );
    new Counter({
      name: `${this.#prefix}unreadable_messages_total`,
      help: 'Messages that arrived which the bot cannot read (encrypted X Chat), per channel.',
      labelNames: ['channel'],
      registers,
      collect() {
        this.reset();
        for (const { id, health } of watched) this.inc({ channel: id }, health().unreadableMessages);
      },
    });
  }

  /** The Prometheus text exposition of every metric. */
  async exposition(): Promise<string> {
    return this.registry.metrics();
  }

  /** The content type of {@link exposition}'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Stops the event-loop monitors, so a closed app leaves nothing running. */
  close(): void {
    this.#loopDelay.disable();
    this.registry.clear();
  }
}
