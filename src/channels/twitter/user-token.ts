import { createHash } from 'node:crypto';
import { ApiResponseError, type TwitterApi } from 'twitter-api-v2';
import type { Logger } from '../../core/index.js';
import { createXBearerClient, createXOAuth2LoginClient, type XOAuth2Client } from './client.js';

/** The scopes the force account grants: DMs in and out, and what reading them needs; `offline.access` gives the refresh token. */
export const X_USER_SCOPES = ['dm.read', 'dm.write', 'tweet.read', 'users.read', 'offline.access'] as const;

/** X's OAuth 2.0 token endpoint (moved onto the configured API root like every other call). */
export const X_TOKEN_URL = 'https://api.x.com/2/oauth2/token';

/**
 * The force account's OAuth 2.0 user token as kept between refreshes. X
 * rotates refresh tokens (each works once), so the newest must be kept where
 * every instance and the next start find it: the shared state store.
 */
export interface XUserToken {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** When the access token stops working (ms since epoch). */
  readonly expiresAt: number;
  /**
   * A hash of the refresh token set in the environment that this chain of
   * tokens grew from. When an operator authorises again and sets a new one,
   * the hashes differ and the new token is used instead of the stored chain.
   */
  readonly origin: string;
}

/** Where the newest user token lives: memory (one process) or Redis (shared). */
export interface XTokenStore {
  read(): Promise<XUserToken | undefined>;
  write(token: XUserToken): Promise<void>;
}

/** The in-memory token store: right for one process; a restart starts again from the environment's token. */
export class MemoryXTokenStore implements XTokenStore {
  #token: XUserToken | undefined;

  async read(): Promise<XUserToken | undefined> {
    return this.#token;
  }

  async write(token: XUserToken): Promise<void> {
    this.#token = token;
  }
}

/**
 * X refused the refresh token: the authorisation was revoked, or the token
 * was used up (a rotated token lost, say after a restart without Redis). Only
 * the one-time authorisation (`npm run x:authorise`) can mend it.
 */
export class XAuthorisationError extends Error {
  override readonly name = 'XAuthorisationError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** What the user session needs. */
export interface XUserSessionOptions {
  readonly client: XOAuth2Client;
  /** The refresh token from the one-time authorisation (`TWITTER_OAUTH2_REFRESH_TOKEN`): the first start's. */
  readonly initialRefreshToken: string;
  readonly store: XTokenStore;
  readonly apiRoot: string;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Refresh this long before the access token expires, so no call meets an expired one. */
  readonly refreshMarginMs?: number;
}

/** X's access tokens last two hours; five minutes' margin leaves room for clock skew and a slow call. */
export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * The force account's OAuth 2.0 user context: every v2 call (sending a DM,
 * deleting one, managing Activity API subscriptions) goes through
 * {@link XUserSession.call}, so all of them share one token and one refresh.
 *
 * The access token is refreshed before it expires and once more when X
 * answers 401 anyway; one refresh at a time per process. Each refresh's new
 * refresh token is written to the store before it is used. When X refuses a
 * refresh token, the store is read again: another instance may have rotated
 * it first, and its newer token is then used.
 */
export class XUserSession {
  readonly #o: XUserSessionOptions;
  readonly #now: () => number;
  readonly #margin: number;
  readonly #origin: string;
  #current: { token: XUserToken; client: TwitterApi } | undefined;
  #refreshing: Promise<XUserToken> | undefined;

  constructor(options: XUserSessionOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#margin = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    this.#origin = tokenHash(options.initialRefreshToken);
  }

  /**
   * Runs `call` with a client holding a valid user token. On a 401 the token
   * is refreshed and the call run again; the first retry may use a token
   * another process stored meanwhile, so a second 401 forces an exchange of
   * its own. Never more than three attempts.
   */
  async call<T>(call: (client: TwitterApi) => Promise<T>): Promise<T> {
    let used = await this.#valid();
    for (let attempt = 1; ; attempt++) {
      try {
        return await call(this.#clientFor(used));
      } catch (error) {
        if (!(error instanceof ApiResponseError) || error.code !== 401 || attempt >= 3) throw error;
        this.#o.logger.info({ event: 'x.oauth2.unauthorised', attempt }, 'X refused the access token before its expiry; refreshing it');
        used = await this.#refresh(used);
      }
    }
  }

  #clientFor(token: XUserToken): TwitterApi {
    if (this.#current?.token.accessToken !== token.accessToken) {
      this.#current = { token, client: createXBearerClient(token.accessToken, this.#o.apiRoot) };
    }
    return this.#current.client;
  }

  async #valid(): Promise<XUserToken> {
    const known = this.#current?.token ?? (await this.#stored());
    if (known.expiresAt - this.#margin > this.#now()) return known;
    return this.#refresh(known);
  }

  /** The store's token if it grew from the environment's; else the environment's refresh token, not yet used. */
  async #stored(): Promise<XUserToken> {
    const stored = await this.#o.store.read();
    if (stored !== undefined && stored.origin === this.#origin) return stored;
    return { accessToken: '', refreshToken: this.#o.initialRefreshToken, expiresAt: 0, origin: this.#origin };
  }

  #refresh(stale: XUserToken): Promise<XUserToken> {
    this.#refreshing ??= this.#refreshOnce(stale).finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refreshOnce(stale: XUserToken): Promise<XUserToken> {
    // Another instance (or an earlier call here) may have refreshed already.
    const latest = await this.#stored();
    if (latest.refreshToken !== stale.refreshToken && latest.expiresAt - this.#margin > this.#now()) return this.#adopt(latest);
    try {
      return await this.#exchange(latest.refreshToken);
    } catch (error) {
      const after = await this.#stored();
      if (after.refreshToken !== latest.refreshToken) return this.#adopt(after.expiresAt - this.#margin > this.#now() ? after : await this.#exchange(after.refreshToken));
      throw error;
    }
  }

  #adopt(token: XUserToken): XUserToken {
    this.#clientFor(token);
    return token;
  }

  async #exchange(refreshToken: string): Promise<XUserToken> {
    let result: TokenResponse;
    try {
      result = await requestUserToken(this.#o.client, this.#o.apiRoot, { refresh_token: refreshToken, grant_type: 'refresh_token' });
    } catch (error) {
      const status = error instanceof ApiResponseError ? error.code : undefined;
      this.#o.logger.error({ event: 'x.oauth2.refresh_failed', status }, 'X refused to refresh the OAuth 2.0 user token');
      throw error;
    }
    const token: XUserToken = {
      accessToken: result.accessToken,
      // X rotates refresh tokens; should it ever not, the old one stays valid.
      refreshToken: result.refreshToken ?? refreshToken,
      expiresAt: this.#now() + result.expiresInSeconds * 1000,
      origin: this.#origin,
    };
    await this.#o.store.write(token);
    this.#o.logger.info({ event: 'x.oauth2.refreshed', expiresInSeconds: result.expiresInSeconds }, 'refreshed the X OAuth 2.0 user token');
    return this.#adopt(token);
  }
}

/** What X's token endpoint gave. */
export interface TokenResponse {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  readonly expiresInSeconds: number;
  readonly scope: string;
}

/**
 * One call to X's OAuth 2.0 token endpoint (a refresh, or the one-time
 * exchange of an authorisation code), as RFC 6749 asks: a form body, the
 * client authenticated with HTTP Basic when it has a secret.
 * twitter-api-v2's own `refreshOAuth2Token` and `loginWithOAuth2` send JSON.
 * A refusal (400, 401) becomes an {@link XAuthorisationError}.
 */
export async function requestUserToken(client: XOAuth2Client, apiRoot: string, grant: Record<string, string>): Promise<TokenResponse> {
  const login = createXOAuth2LoginClient(client, apiRoot);
  let result: { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown; scope?: unknown };
  try {
    result = await login.post(X_TOKEN_URL, { ...grant, client_id: client.clientId }, { forceBodyMode: 'url' });
  } catch (error) {
    if (error instanceof ApiResponseError && (error.code === 400 || error.code === 401)) {
      const message =
        grant.grant_type === 'refresh_token'
          ? 'X refused the OAuth 2.0 refresh token: authorise the app again with npm run x:authorise'
          : `X refused the authorisation code (HTTP ${error.code}; a code works once, for 30 seconds): start again`;
      throw new XAuthorisationError(message, { cause: error });
    }
    throw error;
  }
  if (typeof result.access_token !== 'string' || typeof result.expires_in !== 'number') {
    throw new XAuthorisationError('X answered the token request without an access token');
  }
  return {
    accessToken: result.access_token,
    refreshToken: typeof result.refresh_token === 'string' ? result.refresh_token : undefined,
    expiresInSeconds: result.expires_in,
    scope: typeof result.scope === 'string' ? result.scope : '',
  };
}
