import type { ChannelAdapter, ChannelContext } from '../channels/channel.js';
import { ChannelStartError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { NotReady, ReadinessCheck } from '../server/create-server.js';

/** What to do when a channel cannot start: stop the process (`exit`), or keep serving and retry it (`retry`). */
export type ChannelStartFailure = 'exit' | 'retry';

/** What {@link ChannelStarter} works with. */
export interface ChannelStarterOptions {
  readonly channels: readonly ChannelAdapter[];
  readonly context: ChannelContext;
  readonly logger: Logger;
  /** `exit` (the default): {@link ChannelStarter.start} rejects at the first channel that fails. */
  readonly onFailure?: ChannelStartFailure;
  /** With `retry`: the wait after the first failure, doubled after each further one… */
  readonly firstRetryMs?: number;
  /** …up to this. */
  readonly maxRetryMs?: number;
  readonly now?: () => number;
}

type ChannelState =
  | { readonly status: 'starting' }
  | { readonly status: 'running' }
  | { readonly status: 'failed'; readonly error: ChannelStartError; readonly attempts: number; readonly retryAt: number };

/**
 * Starts each channel's background work and says, on `/readyz`, which ones
 * run. A channel that cannot start must never look healthy: by default its
 * failure stops the process (an orchestrator restarts it and shows the
 * crash), and where the operator chose to keep going, the channel is
 * reported not ready, with the reason, and retried with back-off (doubling,
 * capped) until it starts.
 */
export class ChannelStarter {
  readonly #o: ChannelStarterOptions;
  readonly #states = new Map<ChannelAdapter, ChannelState>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #attempts = new Set<Promise<boolean>>();
  #stopped = false;

  constructor(options: ChannelStarterOptions) {
    this.#o = options;
    for (const channel of options.channels) this.#states.set(channel, { status: 'starting' });
  }

  /**
   * Starts every channel, in order. With `exit`, rejects with a
   * {@link ChannelStartError} at the first that fails; with `retry`,
   * resolves once each has started or failed once (failed ones are retried
   * in the background).
   */
  async start(): Promise<void> {
    for (const channel of this.#o.channels) {
      const started = await this.#track(this.#attempt(channel, 1));
      const state = this.#states.get(channel);
      if (!started && this.#o.onFailure !== 'retry' && state?.status === 'failed') throw state.error;
    }
  }

  /** One readiness check per channel, `channel:<id>`: ready once that channel's start has succeeded. */
  readiness(): ReadinessCheck[] {
    return this.#o.channels.map((channel) => ({
      name: `channel:${channel.id}`,
      check: async (): Promise<boolean | NotReady> => {
        const state = this.#states.get(channel) ?? { status: 'starting' };
        if (state.status === 'running') return true;
        if (state.status === 'starting') return { ready: false, reason: 'starting' };
        const wait = Math.max(0, Math.ceil((state.retryAt - this.#now()) / 1000));
        const next = this.#o.onFailure === 'retry' && !this.#stopped ? `; trying again in ${wait} s` : '';
        return { ready: false, reason: `${state.error.reason} (${state.attempts} failed ${state.attempts === 1 ? 'attempt' : 'attempts'}${next})` };
      },
    }));
  }

  /** Stops retrying, waits for a start in progress, then stops every channel. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await Promise.all(this.#attempts);
    for (const channel of this.#o.channels) await channel.stop?.().catch(() => undefined);
  }

  /** Starts one channel; on failure records why and, with `retry`, schedules the next attempt. Resolves to whether it started. */
  async #attempt(channel: ChannelAdapter, attempt: number): Promise<boolean> {
    const { context, logger, onFailure = 'exit', firstRetryMs = 1000, maxRetryMs = 60_000 } = this.#o;
    try {
      await channel.start?.(context);
      this.#states.set(channel, { status: 'running' });
      if (attempt > 1) logger.info({ event: 'channel.started', channel: channel.id, attempts: attempt }, `the ${channel.id} channel started`);
      return true;
    } catch (error) {
      // Only a ChannelStartError's reason is known to be free of secrets; anything else is named by its class.
      const failure =
        error instanceof ChannelStartError ? error : new ChannelStartError(channel.id, `${error instanceof Error ? error.name : 'an unknown error'} while starting`, error);
      const reason = failure.reason;
      const retryInMs = Math.min(maxRetryMs, firstRetryMs * 2 ** (attempt - 1));
      this.#states.set(channel, { status: 'failed', error: failure, attempts: attempt, retryAt: this.#now() + retryInMs });
      if (onFailure !== 'retry' || this.#stopped) return false;
      logger.error(
        { event: 'channel.start_failed', channel: channel.id, reason, attempt, retryInMs },
        `the ${channel.id} channel did not start; trying again`,
      );
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        if (!this.#stopped) void this.#track(this.#attempt(channel, attempt + 1));
      }, retryInMs);
      this.#timers.add(timer);
      return false;
    }
  }

  /** Keeps an attempt in the set that {@link stop} waits for, until it settles. */
  #track(attempt: Promise<boolean>): Promise<boolean> {
    this.#attempts.add(attempt);
    return attempt.finally(() => this.#attempts.delete(attempt));
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }
}
