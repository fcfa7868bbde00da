import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { BotError, DeliveryError } from '../../core/errors.js';

/** When the connector asks for a wait but gives no usable Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 1000;

/**
 * The Bot Connector answered 429 (or 503 with Retry-After). Thrown from inside
 * the connector client's pipeline so that the SDK's own throttling retry
 * (which waits any Retry-After, however long) never runs and our bounded
 * `sendWithRetry` decides instead.
 */
export class ConnectorThrottledError extends BotError {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number,
  ) {
    super(`Bot Connector throttled the request (HTTP ${status})`);
  }
}

/**
 * A failed connector call reduced to its status and error code: the SDK's
 * RestError also holds the request, whose body is the person's message, so it
 * is never passed on as a `cause` that a logger might serialise.
 */
export class ConnectorCallError extends BotError {
  constructor(
    readonly status: number | undefined,
    readonly code: string | undefined,
  ) {
    super(`Bot Connector call failed (HTTP ${status ?? 'none'}${code ? `, ${code}` : ''})`);
  }
}

/** Just what this module uses of the pipeline of @azure/core-rest-pipeline. */
interface PipelineResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | undefined };
}
interface PipelineLike {
  addPolicy(
    policy: { name: string; sendRequest(request: unknown, next: (request: unknown) => Promise<PipelineResponseLike>): Promise<PipelineResponseLike> },
    options?: { afterPhase?: string },
  ): void;
  removePolicy(options: { name: string }): unknown;
}

const POLICY_NAME = 'surfaceConnectorThrottling';

/**
 * Adds a pipeline policy, below the SDK's retry policy, that turns a 429 (or
 * 503 with Retry-After) into {@link ConnectorThrottledError}. botbuilder 4.23
 * exposes no option for this; the connector client keeps its pipeline in a
 * private `client` field, so this reaches it defensively. If a later SDK moves
 * it, the SDK's own retry applies again and {@link toDeliveryError} still maps
 * the final 429 (the adapter tests notice the change).
 */
export function surfaceThrottling<T extends object>(connectorClient: T): T {
  const pipeline = (connectorClient as { client?: { pipeline?: PipelineLike } }).client?.pipeline;
  if (typeof pipeline?.addPolicy !== 'function' || typeof pipeline.removePolicy !== 'function') return connectorClient;
  pipeline.removePolicy({ name: POLICY_NAME });
  pipeline.addPolicy(
    {
      name: POLICY_NAME,
      async sendRequest(request, next) {
        const response = await next(request);
        const wait = retryAfterMs(response.headers);
        if (response.status === 429) throw new ConnectorThrottledError(429, wait ?? DEFAULT_RETRY_AFTER_MS);
        if (response.status === 503 && wait !== undefined) throw new ConnectorThrottledError(503, wait);
        return response;
      },
    },
    { afterPhase: 'Retry' },
  );
  return connectorClient;
}

/**
 * Bot Framework authentication from configuration, whose connector clients
 * report throttling to us instead of retrying it themselves (see
 * {@link surfaceThrottling}). Authentication itself is botbuilder's unchanged.
 */
export class ThrottleAwareAuthentication extends ConfigurationBotFrameworkAuthentication {
  override createConnectorFactory(
    ...args: Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>
  ): ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']> {
    const inner = super.createConnectorFactory(...args);
    return {
      create: async (serviceUrl: string, audience?: string) => surfaceThrottling(await inner.create(serviceUrl, audience)),
    };
  }
}

/** Milliseconds to wait from `retry-after-ms`, `x-ms-retry-after-ms` or `Retry-After` (seconds or HTTP date). */
export function retryAfterMs(headers: { get(name: string): string | undefined } | undefined): number | undefined {
  if (!headers) return undefined;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = Number(headers.get(name));
    if (headers.get(name) !== undefined && Number.isFinite(value) && value >= 0) return value;
  }
  const header = headers.get('retry-after');
  if (header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/**
 * Translates whatever a connector call threw into a {@link DeliveryError}:
 * throttling carries `retryAfterMs`; 403 (bot blocked or disabled) and 404
 * (conversation gone) are permanent; anything else carries a sanitised cause.
 */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof ConnectorThrottledError) {
    return new DeliveryError('Bot Connector rate limit', { retryAfterMs: error.retryAfterMs, cause: error });
  }
  const status = statusOf(error);
  const code = codeOf(error);
  const cause = new ConnectorCallError(status, code);
  if (status === 429) {
    const headers = responseHeadersOf(error);
    return new DeliveryError('Bot Connector rate limit', { retryAfterMs: retryAfterMs(headers) ?? DEFAULT_RETRY_AFTER_MS, cause });
  }
  if (status === 403 || status === 404) {
    return new DeliveryError('Bot Framework conversation is gone or blocked the bot', { permanent: true, cause });
  }
  return new DeliveryError('Bot Connector send failed', { cause });
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : undefined;
}

function responseHeadersOf(error: unknown): { get(name: string): string | undefined } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const headers = (error as { response?: { headers?: unknown } }).response?.headers;
  return typeof headers === 'object' && headers !== null && typeof (headers as { get?: unknown }).get === 'function'
    ? (headers as { get(name: string): string | undefined })
    : undefined;
}
