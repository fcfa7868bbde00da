import { ConfigError } from '../core/errors.js';
import { isLoopbackUrl } from '../core/loopback.js';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.js';

/** Telegram settings; the channel is on when `TELEGRAM_BOT_TOKEN` is set. */
export interface TelegramConfig {
  readonly token: string;
  readonly webhookSecret: string | undefined;
  readonly apiRoot: string;
  readonly mode: 'webhook' | 'polling';
}

/** Bot Framework settings; on when `MicrosoftAppId` is set or unauthenticated use is allowed. */
export interface BotFrameworkConfig {
  readonly appId: string | undefined;
  readonly appPassword: string | undefined;
  /** SingleTenant unless set: new Azure bots can no longer be created multi-tenant (since July 2025). */
  readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  readonly tenantId: string | undefined;
  readonly allowUnauthenticated: boolean;
}

/** X settings; on when any `TWITTER_*` credential is set (then the app's keys and the account id are required). */
export interface TwitterConfig {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly userId: string;
  readonly apiRoot: string;
  /** Which API delivers events; the legacy Account Activity API is not checked with X. */
  readonly webhookApi: 'activity' | 'account-activity';
  /** The force account's OAuth 2.0 authorisation: v2 replies and Activity API subscriptions. */
  readonly oauth2: { readonly clientId: string; readonly clientSecret?: string; readonly refreshToken: string } | undefined;
  /** v1.1 replies with quick-reply buttons (OAuth 1.0a) instead of v2 with numbered choices. */
  readonly quickReplies: { readonly accessToken: string; readonly accessSecret: string } | undefined;
  /** How often X is asked whether the webhook and subscription still stand. */
  readonly healthCheckMs: number;
  /** Where the newest OAuth 2.0 tokens are kept without Redis (default `.data/x-oauth2-token.json`). */
  readonly tokenFile: string | undefined;
}

/** Everything the server reads from its environment, validated once at start-up. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly production: boolean;
  readonly logLevel: string;
  readonly forceProfilePath: string | undefined;
  /** Secret for the keyed hash that stands in for conversation ids in logs. */
  readonly logHashSecret: string | undefined;
  readonly telegram: TelegramConfig | undefined;
  readonly botframework: BotFrameworkConfig | undefined;
  readonly twitter: TwitterConfig | undefined;
  /** Shared state in Redis when set; in this process's memory otherwise. */
  readonly redisUrl: string | undefined;
  /** Prefix of every Redis key, so one Redis can serve several deployments. */
  readonly redisPrefix: string;
  /** Conversations (and everything kept about them) expire this long after the last message. */
  readonly conversationTtlMs: number;
  /** Inbox partitions: the most instances that can process messages at once. */
  readonly inboxPartitions: number;
  /** Messages one person may send per minute before being asked to slow down. */
  readonly rateLimitPerMinute: number;
  /** `always`: call handlers are on duty around the clock, whatever the force profile says. */
  readonly handoffHours: 'always' | undefined;
  /** A queued person not picked up within this time is told and given the other routes. */
  readonly handoffTimeoutMs: number;
  /** The same for someone in crisis or danger: longer, so a handler can still come (at least `handoffTimeoutMs`). */
  readonly handoffUrgentTimeoutMs: number;
  /** A claimed conversation without a reply from its handler for this long goes back to the queue. */
  readonly claimIdleMs: number;
  /** How long after a conversation ends a handler may still copy or download its transcript. */
  readonly transcriptExportMs: number;
  /** A console session ends this long after sign-in however busy it is: a shift. */
  readonly consoleSessionMs: number;
  /** How long "are you safe right now?" waits for an answer before the bot checks on the person. */
  readonly safetyCheckMs: number;
  /** How long the audit log keeps entries: the force's retention period, in days. */
  readonly auditRetentionDays: number;
  /** Where call-handler accounts live without Redis (default `.data/handlers.json`). */
  readonly handlersFile: string | undefined;
  /** When set, `GET /metrics` needs `Authorization: Bearer <token>`. */
  readonly metricsToken: string | undefined;
  /** Without a token, `/metrics` is served to anyone rather than only to requests made on this machine. */
  readonly metricsPublic: boolean;
  /** Which reverse proxies to believe about the client's address: off, a hop count, or their addresses/CIDRs. */
  readonly trustProxy: TrustProxy;
  /** UK nation whose bank holidays close the call-handler desk (unless hours are 24/7). */
  readonly bankHolidayRegion: 'ENG' | 'WLS' | 'SCT' | 'NIR';
  /** How long a client may take to send a request (and its headers), and how long a connection may stay silent. */
  readonly timeouts: { readonly requestMs: number; readonly headersMs: number; readonly idleMs: number };
  /**
   * The console is served over plain HTTP, for a local trial: the session
   * cookie loses `Secure` (and its `__Host-` name) and no HSTS is sent. Off
   * by default, whatever NODE_ENV says; the server warns at start-up when on.
   */
  readonly consoleInsecureCookie: boolean;
  /** A channel that cannot start stops the process (`exit`), or is reported not ready and retried (`retry`). */
  readonly channelStartFailure: 'exit' | 'retry';
  /** How long a graceful shutdown may take before the process exits anyway (with code 1). */
  readonly shutdownTimeoutMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads and validates the configuration. Throws one {@link ConfigError} that
 * names every missing or malformed variable (never its value), so an operator
 * can fix them all at once.
 */
export function readConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const require = (name: string, why: string) => {
    const value = get(name);
    if (value === undefined) problems.push(`${name} is required ${why}`);
    return value ?? '';
  };
  /** A platform's API root: credentials travel in its requests, so https unless it is this machine. */
  const apiRoot = (name: string, fallback: string) => {
    const value = get(name) ?? fallback;
    if (!/^https?:\/\/[^\s/]+/.test(value)) problems.push(`${name} must be an http(s) URL`);
    else if (!value.startsWith('https://') && !isLoopbackUrl(value)) {
      problems.push(`${name} must be an https URL (plain http only to a loopback address: localhost, 127.0.0.0/8 or ::1)`);
    }
    return value.replace(/\/+$/, '');
  };
  const bool = (name: string) => {
    const value = get(name);
    if (value === undefined) return false;
    if (value === 'true' || value === 'false') return value === 'true';
    problems.push(`${name} must be "true" or "false"`);
    return false;
  };

  const portText = get('PORT') ?? '3978';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) problems.push('PORT must be a port number (0-65535)');
  const production = get('NODE_ENV') === 'production';
  const logLevel = get('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  let telegram: TelegramConfig | undefined;
  if (get('TELEGRAM_BOT_TOKEN') !== undefined || get('TELEGRAM_WEBHOOK_SECRET') !== undefined) {
    const token = require('TELEGRAM_BOT_TOKEN', 'for the Telegram channel');
    if (token && !/^\d+:[\w-]+$/.test(token)) problems.push('TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters)');
    const mode = get('TELEGRAM_MODE') ?? 'webhook';
    if (mode !== 'webhook' && mode !== 'polling') problems.push('TELEGRAM_MODE must be "webhook" or "polling"');
    const webhookSecret = mode === 'webhook' ? require('TELEGRAM_WEBHOOK_SECRET', 'in webhook mode') : get('TELEGRAM_WEBHOOK_SECRET');
    if (webhookSecret && !/^[A-Za-z0-9_-]{16,256}$/.test(webhookSecret)) {
      problems.push('TELEGRAM_WEBHOOK_SECRET must be 16-256 characters of A-Z, a-z, 0-9, _ and -');
    }
    telegram = { token, webhookSecret, apiRoot: apiRoot('TELEGRAM_API_ROOT', 'https://api.telegram.org'), mode: mode as TelegramConfig['mode'] };
  }

  let botframework: BotFrameworkConfig | undefined;
  const allowUnauthenticated = bool('BOTFRAMEWORK_ALLOW_UNAUTHENTICATED');
  const appId = get('MicrosoftAppId');
  if (appId !== undefined || allowUnauthenticated) {
    if (appId === undefined && production) {
      problems.push('BOTFRAMEWORK_ALLOW_UNAUTHENTICATED=true is refused when NODE_ENV=production: set MicrosoftAppId');
    }
    const appType = get('MicrosoftAppType') ?? 'SingleTenant';
    if (!['MultiTenant', 'SingleTenant', 'UserAssignedMSI'].includes(appType)) {
      problems.push('MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI');
    }
    if (appId !== undefined && appType !== 'UserAssignedMSI') require('MicrosoftAppPassword', 'with MicrosoftAppId');
    if (appId !== undefined && appType === 'SingleTenant') {
      require(
        'MicrosoftAppTenantId',
        'for a SingleTenant bot (the default MicrosoftAppType; set MicrosoftAppType=MultiTenant for a bot created as multi-tenant before July 2025)',
      );
    }
    botframework = {
      appId,
      appPassword: get('MicrosoftAppPassword'),
      appType: appType as BotFrameworkConfig['appType'],
      tenantId: get('MicrosoftAppTenantId'),
      allowUnauthenticated: appId === undefined && allowUnauthenticated,
    };
  }

  const integer = (name: string, fallback: number, min: number, max: number) => {
    const text = get(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) problems.push(`${name} must be a whole number from ${min} to ${max}`);
    return value;
  };

  let twitter: TwitterConfig | undefined;
  const twitterNames = [
    'TWITTER_CONSUMER_KEY',
    'TWITTER_CONSUMER_SECRET',
    'TWITTER_USER_ID',
    'TWITTER_ACCESS_TOKEN',
    'TWITTER_ACCESS_SECRET',
    'TWITTER_OAUTH2_CLIENT_ID',
    'TWITTER_OAUTH2_CLIENT_SECRET',
    'TWITTER_OAUTH2_REFRESH_TOKEN',
  ];
  if (twitterNames.some((name) => get(name) !== undefined)) {
    const why = 'for the X channel';
    const consumerKey = require('TWITTER_CONSUMER_KEY', why);
    const consumerSecret = require('TWITTER_CONSUMER_SECRET', why);
    const userId = require('TWITTER_USER_ID', why);
    if (userId && !/^\d+$/.test(userId)) problems.push('TWITTER_USER_ID must be the numeric id of the force account');
    const useQuickReplies = bool('TWITTER_QUICK_REPLIES');
    const webhookApi = get('TWITTER_WEBHOOK_API') ?? 'activity';
    if (webhookApi !== 'activity' && webhookApi !== 'account-activity') problems.push('TWITTER_WEBHOOK_API must be "activity" or "account-activity"');
    const oauth2Needed = !useQuickReplies || webhookApi === 'activity';
    const oauth2Given = get('TWITTER_OAUTH2_CLIENT_ID') !== undefined || get('TWITTER_OAUTH2_REFRESH_TOKEN') !== undefined;
    const oauth2Why = useQuickReplies ? 'for X Activity API subscriptions (npm run x:authorise gives it)' : 'for v2 replies (npm run x:authorise gives it)';
    const oauth2 =
      oauth2Needed || oauth2Given
        ? {
            clientId: require('TWITTER_OAUTH2_CLIENT_ID', oauth2Why),
            refreshToken: require('TWITTER_OAUTH2_REFRESH_TOKEN', oauth2Why),
            ...(get('TWITTER_OAUTH2_CLIENT_SECRET') !== undefined && { clientSecret: get('TWITTER_OAUTH2_CLIENT_SECRET') as string }),
          }
        : undefined;
    const quickReplies = useQuickReplies
      ? {
          accessToken: require('TWITTER_ACCESS_TOKEN', 'with TWITTER_QUICK_REPLIES=true (v1.1 sends with OAuth 1.0a)'),
          accessSecret: require('TWITTER_ACCESS_SECRET', 'with TWITTER_QUICK_REPLIES=true (v1.1 sends with OAuth 1.0a)'),
        }
      : undefined;
    twitter = {
      consumerKey,
      consumerSecret,
      userId,
      apiRoot: apiRoot('TWITTER_API_ROOT', 'https://api.x.com'),
      webhookApi: webhookApi === 'account-activity' ? 'account-activity' : 'activity',
      oauth2,
      quickReplies,
      healthCheckMs: integer('TWITTER_HEALTH_CHECK_MINUTES', 15, 1, 1440) * 60_000,
      tokenFile: get('TWITTER_TOKEN_FILE'),
    };
  }

  const redisUrl = get('REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  const redisPrefix = get('REDIS_PREFIX') ?? 'ssb';
  if (!/^[\w-]{1,32}$/.test(redisPrefix)) problems.push('REDIS_PREFIX must be 1-32 letters, digits, _ or -');
  const conversationTtlDays = integer('CONVERSATION_TTL_DAYS', 30, 1, 365);
  const inboxPartitions = integer('INBOX_PARTITIONS', 8, 1, 256);
  const rateLimitPerMinute = integer('RATE_LIMIT_PER_MINUTE', 30, 1, 100_000);

  const handoffHours = get('HANDOFF_HOURS');
  if (handoffHours !== undefined && handoffHours !== 'always') problems.push('HANDOFF_HOURS must be "always" or unset (then the force profile decides)');
  const handoffTimeoutMinutes = integer('HANDOFF_TIMEOUT_MINUTES', 10, 1, 1440);
  const handoffUrgentTimeoutMinutes = integer('HANDOFF_URGENT_TIMEOUT_MINUTES', Math.max(30, handoffTimeoutMinutes), 1, 1440);
  if (handoffUrgentTimeoutMinutes < handoffTimeoutMinutes) problems.push('HANDOFF_URGENT_TIMEOUT_MINUTES cannot be shorter than HANDOFF_TIMEOUT_MINUTES');
  const metricsToken = get('METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 32) {
    problems.push('METRICS_TOKEN must be at least 32 characters (e.g. `openssl rand -hex 32`)');
  }
  const metricsPublic = bool('METRICS_PUBLIC');
  const requestTimeoutSeconds = integer('REQUEST_TIMEOUT_SECONDS', 30, 1, 300);
  const headersTimeoutSeconds = integer('HEADERS_TIMEOUT_SECONDS', 10, 1, 300);
  if (headersTimeoutSeconds > requestTimeoutSeconds) problems.push('HEADERS_TIMEOUT_SECONDS cannot be longer than REQUEST_TIMEOUT_SECONDS');
  // The console's live event stream sends a heartbeat every 15 s: a shorter idle time-out would cut it.
  const idleTimeoutSeconds = integer('IDLE_TIMEOUT_SECONDS', 60, 20, 3600);
  const claimIdleMinutes = integer('CLAIM_IDLE_MINUTES', 15, 1, 1440);
  const transcriptExportHours = integer('TRANSCRIPT_EXPORT_HOURS', 24, 1, 720);
  const consoleSessionHours = integer('CONSOLE_SESSION_HOURS', 12, 1, 24);
  const safetyCheckMinutes = integer('SAFETY_CHECK_MINUTES', 10, 1, 120);
  const auditRetentionDays = integer('AUDIT_RETENTION_DAYS', 365, 1, 3650);
  const bankHolidayRegion = get('BANK_HOLIDAY_REGION') ?? 'ENG';
  const trustProxy = parseTrustProxy(get('TRUST_PROXY'));
  if ('problem' in trustProxy) problems.push(trustProxy.problem);
  const consoleInsecureCookie = bool('CONSOLE_INSECURE_COOKIE');
  const shutdownTimeoutSeconds = integer('SHUTDOWN_TIMEOUT_SECONDS', 10, 1, 300);
  const channelStartFailure = get('CHANNEL_START_FAILURE') ?? 'exit';
  if (channelStartFailure !== 'exit' && channelStartFailure !== 'retry') problems.push('CHANNEL_START_FAILURE must be "exit" or "retry"');
  if (!['ENG', 'WLS', 'SCT', 'NIR'].includes(bankHolidayRegion)) problems.push('BANK_HOLIDAY_REGION must be ENG, WLS, SCT or NIR');

  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return {
    port,
    host: get('HOST') ?? '0.0.0.0',
    production,
    logLevel,
    forceProfilePath: get('FORCE_PROFILE'),
    logHashSecret: get('LOG_HASH_SECRET'),
    telegram,
    botframework,
    twitter,
    redisUrl,
    redisPrefix,
    conversationTtlMs: conversationTtlDays * 24 * 3600_000,
    inboxPartitions,
    rateLimitPerMinute,
    handoffHours: handoffHours === 'always' ? 'always' : undefined,
    handoffTimeoutMs: handoffTimeoutMinutes * 60_000,
    handoffUrgentTimeoutMs: handoffUrgentTimeoutMinutes * 60_000,
    claimIdleMs: claimIdleMinutes * 60_000,
    transcriptExportMs: transcriptExportHours * 3600_000,
    consoleSessionMs: consoleSessionHours * 3600_000,
    safetyCheckMs: safetyCheckMinutes * 60_000,
    auditRetentionDays,
    handlersFile: get('HANDLERS_FILE'),
    bankHolidayRegion: bankHolidayRegion as AppConfig['bankHolidayRegion'],
    metricsToken,
    metricsPublic,
    timeouts: { requestMs: requestTimeoutSeconds * 1000, headersMs: headersTimeoutSeconds * 1000, idleMs: idleTimeoutSeconds * 1000 },
    trustProxy: 'value' in trustProxy ? trustProxy.value : false,
    consoleInsecureCookie,
    shutdownTimeoutMs: shutdownTimeoutSeconds * 1000,
    channelStartFailure: channelStartFailure === 'retry' ? 'retry' : 'exit',
  };
}
