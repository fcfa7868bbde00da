import type { ServerOptions as HttpServerOptions } from 'node:http';
import { ConfigError } from '../core/errors.js';

/**
 * How long a client may take. Without limits, a client that sends a body one
 * byte every few seconds (or its headers, or nothing) holds a connection and
 * its memory for ever, and a few hundred such clients starve the webhooks.
 */
export interface ServerTimeouts {
  /** The whole request, headers and body, must arrive within this; otherwise 408 and the connection is closed. */
  readonly requestMs?: number;
  /** The headers must arrive within this; no longer than `requestMs`. */
  readonly headersMs?: number;
  /**
   * A connection with nothing sent either way for this long is closed. Longer
   * than the console event stream's 15 s heartbeat, so live streams stay open.
   */
  readonly idleMs?: number;
}

/** The defaults: a slow request is closed within 30 s of starting, slow headers within 10 s, a silent connection after 60 s. */
export const DEFAULT_SERVER_TIMEOUTS: Required<ServerTimeouts> = { requestMs: 30_000, headersMs: 10_000, idleMs: 60_000 };

/** What Fastify needs to apply the time-outs to its Node HTTP server. */
export interface FastifyTimeoutOptions {
  readonly requestTimeout: number;
  readonly connectionTimeout: number;
  readonly http: HttpServerOptions;
}

/**
 * Fastify options for these time-outs. Node only looks for expired requests
 * every `connectionsCheckingInterval` (30 s by default, which would let a
 * slow body live for up to a minute), so it is set to at most a second.
 */
export function fastifyTimeoutOptions({
  requestMs = DEFAULT_SERVER_TIMEOUTS.requestMs,
  headersMs = DEFAULT_SERVER_TIMEOUTS.headersMs,
  idleMs = DEFAULT_SERVER_TIMEOUTS.idleMs,
}: ServerTimeouts = {}): FastifyTimeoutOptions {
  for (const [name, value] of Object.entries({ requestMs, headersMs, idleMs })) {
    if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`server time-out ${name} must be a positive whole number of milliseconds`);
  }
  if (headersMs > requestMs) throw new ConfigError('the headers time-out cannot be longer than the request time-out');
  const connectionsCheckingInterval = Math.min(1_000, Math.max(50, Math.floor(headersMs / 2)));
  return {
    requestTimeout: requestMs,
    connectionTimeout: idleMs,
    http: { requestTimeout: requestMs, headersTimeout: headersMs, connectionsCheckingInterval },
  };
}
