import http from 'node:http';
import { type IClientSettings, type ITwitterApiClientPlugin, TwitterApi } from 'twitter-api-v2';

/** The OAuth 1.0a user-context credentials of the force's own X account. */
export interface XCredentials {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly accessToken: string;
  readonly accessSecret: string;
}

/**
 * Points every request at `apiRoot` instead of X's built-in hosts.
 * twitter-api-v2 has no base-URL setting (and `cloneWithPrefix()` is broken),
 * so the URL is rewritten before the library signs it; the OAuth signature
 * therefore covers the URL actually requested. A path prefix on the root is kept.
 */
export function apiRootPlugin(apiRoot: string): ITwitterApiClientPlugin {
  const root = new URL(apiRoot);
  const prefix = root.pathname.replace(/\/+$/, '');
  return {
    onBeforeRequestConfig({ params }) {
      const original = new URL(params.url);
      params.url = `${root.origin}${prefix}${original.pathname}${original.search}`;
    },
  };
}

/** twitter-api-v2 settings that point a client at `apiRoot`, with an http agent for a plain-http root. */
function clientSettings(apiRoot: string): Partial<IClientSettings> {
  const plainHttp = new URL(apiRoot).protocol === 'http:';
  return { plugins: [apiRootPlugin(apiRoot)], ...(plainHttp ? { httpAgent: new http.Agent() } : {}) };
}

/**
 * An OAuth 1.0a client of the force's account (v1.1 DMs with quick replies),
 * built once and shared by every send: it holds the signing keys and the
 * agent, nothing per message. A plain-http root (the local fake X API in
 * tests) needs an http agent: the library always uses `https.request`, which
 * refuses `http:` URLs unless given one.
 */
export function createXClient(credentials: XCredentials, apiRoot: string): TwitterApi {
  return new TwitterApi(
    {
      appKey: credentials.consumerKey,
      appSecret: credentials.consumerSecret,
      accessToken: credentials.accessToken,
      accessSecret: credentials.accessSecret,
    },
    clientSettings(apiRoot),
  );
}

/** A client that only knows the app's consumer key and secret: for the app-only bearer token (`appLogin()`). */
export function createXAppClient(credentials: Pick<XCredentials, 'consumerKey' | 'consumerSecret'>, apiRoot: string): TwitterApi {
  return new TwitterApi({ appKey: credentials.consumerKey, appSecret: credentials.consumerSecret }, clientSettings(apiRoot));
}

/** The app's OAuth 2.0 client: `clientSecret` for a confidential client, none for a public one. */
export interface XOAuth2Client {
  readonly clientId: string;
  readonly clientSecret?: string;
}

/** A client for the OAuth 2.0 token endpoint: authorisation links, code exchange and refresh. */
export function createXOAuth2LoginClient({ clientId, clientSecret }: XOAuth2Client, apiRoot: string): TwitterApi {
  return new TwitterApi(clientSecret === undefined ? { clientId } : { clientId, clientSecret }, clientSettings(apiRoot));
}

/** A client calling X with one bearer token (a user's OAuth 2.0 access token, or the app-only token). */
export function createXBearerClient(bearerToken: string, apiRoot: string): TwitterApi {
  return new TwitterApi(bearerToken, clientSettings(apiRoot));
}
