import type { FastifyInstance } from 'fastify';
import { FileHandlerAccounts, type HandlerAccounts, RedisHandlerAccounts } from '../console/auth/handler-accounts.js';
import { type LoginThrottle, MemoryLoginThrottle, RedisLoginThrottle } from '../console/auth/login-throttle.js';
import { MemorySessionStore, RedisSessionStore, type SessionStore } from '../console/auth/session-store.js';
import { registerConsole } from '../console/register-console.js';
import { createSavedReplies } from '../console/console-strings.js';
import type { AppConfig } from '../config/environment.js';
import type { ForceProfile } from '../config/force-profile.js';
import { type ConversationKey, parseConversationKey } from '../core/conversation-key.js';
import type { Logger } from '../core/logger.js';
import type { HandoffPort } from '../engine/handoff-port.js';
import { BankHolidays, isWithinHandlerHours } from '../handoff/handler-hours.js';
import { createHandoffDesk } from '../handoff/handoff-desk.js';
import type { AuditLog, ClosedTickets, ConsoleEvents, HandlerPayload, HandoffDesk, HandoffQueue, TranscriptStore } from '../handoff/handoff-model.js';
import { MemoryClosedTickets } from '../storage/memory/closed-tickets.js';
import { RedisClosedTickets } from '../storage/redis/closed-tickets.js';
import { createHandoffService } from '../handoff/handoff-service.js';
import { type HandoffEventLog, noHandoffEventLog, storedKeyHasher } from '../handoff/handoff-event-log.js';
import { MemoryAuditLog } from '../storage/memory/audit-log.js';
import { MemoryConsoleEvents } from '../storage/memory/console-events.js';
import { MemoryHandoffQueue } from '../storage/memory/handoff-queue.js';
import { MemoryTranscriptStore } from '../storage/memory/transcript-store.js';
import { QueueTimeout } from '../handoff/queue-timeout.js';
import { ClaimSweeper, whyGoneFromAccounts } from '../handoff/claim-sweeper.js';
import { errorSummary } from '../logging/error-summary.js';
import { RedisAuditLog } from '../storage/redis/audit-log.js';
import { RedisConsoleEvents } from '../storage/redis/console-events.js';
import { RedisHandoffQueue } from '../storage/redis/handoff-queue.js';
import { RedisTranscriptStore } from '../storage/redis/transcript-store.js';
import type { Inbox } from '../inbox/inbox.js';
import type { ReplyRenderer } from '../i18n/reply-renderer.js';
import type { SharedState } from './shared-state.js';

/** What handoff reports for metrics: claims (with how long the person waited) and people who left the queue unserved. */
export interface HandoffMetrics {
  handoffClaimed(waitSeconds: number): void;
  handoffAbandoned(why: 'cancelled' | 'timeout'): void;
}

/** The handoff side of the service: queue, transcripts, audit, accounts and sessions, and the engine's port. */
export interface Handoff {
  readonly port: HandoffPort;
  readonly queue: HandoffQueue;
  readonly transcripts: TranscriptStore;
  readonly audit: AuditLog;
  readonly events: ConsoleEvents;
  readonly accounts: HandlerAccounts;
  readonly sessions: SessionStore;
  readonly throttle: LoginThrottle;
  /** Connects the desk to the inbox and the console routes to the server; starts the queue time-out and the claim sweeper. */
  attach(app: FastifyInstance, inbox: Inbox, renderer: ReplyRenderer): Promise<HandoffDesk>;
  /** One pass of the queue time-out at `now` (the clock's time by default), as the timer runs it; 0 before `attach`. */
  sweepQueue(now?: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * Builds the handoff stores (Redis when configured, so a handler on one
 * instance sees people who wrote to another), the accounts and sessions of
 * call handlers, and the engine's handoff port, which queues a person only
 * when the force's hours allow and at least one handler is signed in.
 */
export function createHandoff(
  config: AppConfig,
  state: SharedState,
  profile: ForceProfile,
  logger: Logger,
  metrics: HandoffMetrics | undefined,
  hashKey: (key: ConversationKey) => string,
  log: HandoffEventLog = noHandoffEventLog,
): Handoff {
  const redis = state.redis;
  const ttlMs = config.conversationTtlMs;
  const queue: HandoffQueue = redis ? new RedisHandoffQueue(redis) : new MemoryHandoffQueue();
  const transcripts: TranscriptStore = redis ? new RedisTranscriptStore({ ...redis, ttlMs }) : new MemoryTranscriptStore({ ttlMs });
  // Kept no longer than the transcript itself.
  const keepMs = Math.min(config.transcriptExportMs, ttlMs);
  const closedTickets: ClosedTickets = redis ? new RedisClosedTickets({ ...redis, keepMs }) : new MemoryClosedTickets({ keepMs });
  const retentionDays = config.auditRetentionDays;
  const audit: AuditLog = redis ? new RedisAuditLog({ ...redis, retentionDays }) : new MemoryAuditLog({ retentionDays });
  const events: ConsoleEvents = redis ? new RedisConsoleEvents({ ...redis, logger }) : new MemoryConsoleEvents({ logger });
  const accounts: HandlerAccounts = redis
    ? new RedisHandlerAccounts(redis)
    : new FileHandlerAccounts(config.handlersFile ? { path: config.handlersFile } : {});
  const revokedAt = (username: string) => accounts.revokedAt(username);
  const absoluteMs = config.consoleSessionMs;
  const sessions: SessionStore = redis
    ? new RedisSessionStore({ ...redis, revokedAt, absoluteMs })
    : new MemorySessionStore({ revokedAt, absoluteMs });
  const throttle: LoginThrottle = redis ? new RedisLoginThrottle(redis) : new MemoryLoginThrottle();
  const holidays = new BankHolidays({ region: config.bankHolidayRegion });
  const override = config.handoffHours;
  const port = createHandoffService({
    queue,
    transcripts,
    events,
    onCancelled: () => metrics?.handoffAbandoned('cancelled'),
    log,
    closedTickets,
    available: async (now) => {
      if (!isWithinHandlerHours(profile, new Date(now), { holidays, ...(override && { override }) })) return 'closed';
      return (await sessions.activeHandlers(now)) > 0 ? 'open' : 'busy';
    },
  });
  const queueTimeouts = { normalMs: config.handoffTimeoutMs, urgentMs: config.handoffUrgentTimeoutMs };
  let timeout: QueueTimeout | undefined;
  let claims: ClaimSweeper | undefined;

  return {
    port,
    queue,
    transcripts,
    audit,
    events,
    accounts,
    sessions,
    throttle,
    async attach(app, inbox, renderer) {
      const deliver = async (conversationKey: string, payload: HandlerPayload) => {
        const key = parseConversationKey(conversationKey);
        if (!key) throw new Error('malformed conversation key in the handoff queue');
        await inbox.submit({ key, payload });
      };
      const desk = createHandoffDesk({
        queue,
        transcripts,
        audit,
        events,
        deliver,
        savedReplies: createSavedReplies((key, locale) => renderer.text(key, locale)),
        ...(metrics && { onClaimed: (waitSeconds: number) => metrics.handoffClaimed(waitSeconds) }),
        log,
        queueTimeouts,
        closedTickets,
      });
      /** A handler who signs out with no other live session: their claims go back to the queue at once. */
      const releaseOnSignOut = async (handler: string, now: number) => {
        try {
          if (!(await sessions.liveHandlers(now)).has(handler)) await desk.releaseAllHeldBy(handler, 'signed-out', now);
        } catch (error) {
          // The sign-out itself has happened; the claim sweeper puts the claims back shortly instead.
          logger.warn({ err: errorSummary(error) }, 'releasing claims at sign-out failed');
        }
      };
      if (config.consoleInsecureCookie) {
        logger.warn(
          {},
          'CONSOLE_INSECURE_COOKIE=true: the console session cookie is sent without Secure, over plain HTTP. ' +
            'Only for a local trial; serve the console over HTTPS and unset it everywhere else.',
        );
      }
      await registerConsole(app, {
        accounts,
        sessions,
        throttle,
        secure: !config.consoleInsecureCookie,
        // Signing out with no other live session puts the handler's claims back in the queue at once.
        audit: {
          async append(entry) {
            await audit.append(entry);
            if (entry.action === 'signed-out') await releaseOnSignOut(entry.handler, entry.at);
          },
        },
        logger,
        events,
        forceName: profile.name,
        desk,
        strings: (key) => renderer.text(key, 'en-GB'),
      });
      const hashStored = storedKeyHasher(hashKey);
      timeout = new QueueTimeout({
        queue,
        desk,
        hashKey: (conversationKey) => hashStored(conversationKey) ?? 'malformed',
        onTimedOut: () => metrics?.handoffAbandoned('timeout'),
        logger,
        timeouts: queueTimeouts,
      });
      timeout.start();
      claims = new ClaimSweeper({
        queue,
        desk,
        liveHandlers: (now) => sessions.liveHandlers(now),
        whyGone: whyGoneFromAccounts(accounts),
        idleMs: config.claimIdleMs,
        logger,
      });
      claims.start();
      return desk;
    },
    async sweepQueue(now) {
      return timeout ? timeout.sweep(now) : 0;
    },
    async close() {
      await timeout?.stop();
      await claims?.stop();
      await (events as { close?: () => Promise<void> }).close?.();
    },
  };
}
