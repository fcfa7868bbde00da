/**
 * The one-time authorisation of the app by the force's X account (OAuth 2.0
 * with PKCE), which gives the refresh token the bot starts from:
 *
 *   TWITTER_OAUTH2_CLIENT_ID=... [TWITTER_OAUTH2_CLIENT_SECRET=...] npm run x:authorise -- https://bot.example.police.uk/x-authorised
 *
 * The argument is the callback URL registered in the app's settings on the X
 * developer portal. The script prints an authorise URL asking for
 * `dm.read dm.write tweet.read users.read offline.access`; open it signed in
 * as the force account and approve. X then sends the browser to the callback
 * URL with `code` and `state` in its address (the page itself need not
 * exist): paste that whole address here. The script checks `state`,
 * exchanges the code and prints the refresh token to set as
 * `TWITTER_OAUTH2_REFRESH_TOKEN`, like the other secrets. Nothing is written
 * anywhere else; the access token is not printed.
 */
import { createInterface } from 'node:readline/promises';
import { pathToFileURL } from 'node:url';
import { requestUserToken, X_USER_SCOPES } from '../src/channels/twitter/user-token.js';
import { createXOAuth2LoginClient, type XOAuth2Client } from '../src/channels/twitter/client.js';
import { isLoopbackUrl } from '../src/core/loopback.js';

/** The first step: the URL to open as the force account, and what the second step must remember. */
export interface AuthorisationStart {
  readonly url: string;
  readonly state: string;
  readonly codeVerifier: string;
}

/** Builds the authorise URL with a fresh PKCE verifier (S256) and state. */
export function startAuthorisation(client: XOAuth2Client, redirectUri: string, apiRoot: string): AuthorisationStart {
  const link = createXOAuth2LoginClient(client, apiRoot).generateOAuth2AuthLink(redirectUri, { scope: [...X_USER_SCOPES] });
  return { url: link.url, state: link.state, codeVerifier: link.codeVerifier };
}

/** Thrown when what was pasted is not X's answer to this authorisation. */
export class AuthorisationAnswerError extends Error {
  override readonly name = 'AuthorisationAnswerError';
}

/**
 * The second step: reads the code from the address X sent the browser to,
 * checks its state against ours (so a code meant for another request cannot
 * be slipped in), and exchanges it for tokens. Resolves to the refresh token.
 */
export async function finishAuthorisation(
  client: XOAuth2Client,
  start: AuthorisationStart,
  redirectUri: string,
  pasted: string,
  apiRoot: string,
): Promise<{ refreshToken: string; scope: string }> {
  let answer: URL;
  try {
    answer = new URL(pasted.trim());
  } catch {
    throw new AuthorisationAnswerError('paste the whole address the browser was sent to (it starts with the callback URL)');
  }
  const error = answer.searchParams.get('error');
  if (error !== null) throw new AuthorisationAnswerError(`X did not authorise the app (${error})`);
  const code = answer.searchParams.get('code');
  if (code === null || answer.searchParams.get('state') !== start.state) {
    throw new AuthorisationAnswerError('that address is not the answer to this authorisation (no code, or a different state): start again');
  }
  const tokens = await requestUserToken(client, apiRoot, {
    code,
    grant_type: 'authorization_code',
    redirect_uri: redirectUri,
    code_verifier: start.codeVerifier,
  });
  if (tokens.refreshToken === undefined) throw new AuthorisationAnswerError('X gave no refresh token: the app must ask for offline.access');
  return { refreshToken: tokens.refreshToken, scope: tokens.scope };
}

async function main(): Promise<void> {
  const clientId = process.env.TWITTER_OAUTH2_CLIENT_ID ?? '';
  const clientSecret = process.env.TWITTER_OAUTH2_CLIENT_SECRET || undefined;
  const apiRoot = process.env.TWITTER_API_ROOT || 'https://api.x.com';
  const redirectUri = process.argv[2];
  if (!clientId || !redirectUri) {
    console.error('Usage: TWITTER_OAUTH2_CLIENT_ID=... [TWITTER_OAUTH2_CLIENT_SECRET=...] npm run x:authorise -- <callback URL registered for the app>');
    process.exitCode = 2;
    return;
  }
  if (!apiRoot.startsWith('https://') && !isLoopbackUrl(apiRoot)) {
    console.error('TWITTER_API_ROOT must use https (plain http only to a loopback address)');
    process.exitCode = 2;
    return;
  }
  const client: XOAuth2Client = clientSecret === undefined ? { clientId } : { clientId, clientSecret };
  const start = startAuthorisation(client, redirectUri, apiRoot);
  console.log('1. Signed in to X as the force account, open this address and approve the app:\n');
  console.log(start.url);
  console.log('\n2. Paste here the whole address your browser was sent to afterwards, then press Enter:');
  const input = createInterface({ input: process.stdin, terminal: false });
  const pasted = await new Promise<string>((resolve) => {
    input.once('line', resolve);
    input.once('close', () => resolve(''));
  });
  input.close();
  try {
    const { refreshToken, scope } = await finishAuthorisation(client, start, redirectUri, pasted, apiRoot);
    console.log(`\nAuthorised (scopes: ${scope}). Set this with the other secrets (for example in .env), then start the bot:\n`);
    console.log(`TWITTER_OAUTH2_REFRESH_TOKEN=${refreshToken}`);
    console.log('\nIt works once: the bot exchanges it at its first start and keeps the newest token in its state store.');
  } catch (error) {
    console.error(`Authorisation failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
