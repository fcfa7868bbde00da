import http from 'node:http';
import { TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';

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

/**
 * The one X client of a channel, built once and shared by every send (it holds
 * the signing keys and the agent; nothing per message). A plain-http root (the local fake X API in
 * tests) needs an http agent: the library always uses `https.request`, which
 * refuses `http:` URLs unless given one.
 */
export function createXClient(credentials: XCredentials, apiRoot: string): TwitterApi {
  const plainHttp = new URL(apiRoot).protocol === 'http:';
  return new TwitterApi(
    {
      appKey: credentials.consumerKey,
      appSecret: credentials.consumerSecret,
      accessToken: credentials.accessToken,
      accessSecret: credentials.accessSecret,
    },
    {
      plugins: [apiRootPlugin(apiRoot)],
      ...(plainHttp ? { httpAgent: new http.Agent() } : {}),
    },
  );
}
