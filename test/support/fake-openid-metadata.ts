/**
 * A local stand-in for the OpenID metadata Bot Framework publishes its
 * token-signing keys at (login.botframework.com), so authenticated-endpoint
 * tests can present tokens that get as far as signature checking: signed by
 * another key, expired, or naming an unknown key.
 *
 * Use:
 *   const openId = await startFakeOpenIdMetadata();
 *   createBotFrameworkChannel({ appId, appPassword, authenticationSettings: openId.authenticationSettings });
 *   openId.token({ aud: appId }, { key: 'other' })   // a token the published key does not verify
 *   await openId.close();
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** The issuer Bot Framework channel tokens carry. */
export const CHANNEL_TOKEN_ISSUER = 'https://api.botframework.com';

/** A running fake; see the module comment. */
export interface FakeOpenIdMetadata {
  /** The metadata document's URL. */
  readonly url: string;
  /**
   * botbuilder's settings for Microsoft's public cloud with the token-signing
   * keys read from this fake (botbuilder wants all of them once one is set).
   */
  readonly authenticationSettings: Readonly<Record<string, string>>;
  /** The id of the one published key. */
  readonly keyId: string;
  /** The published public key as PEM, to check that it never reaches a log. */
  readonly publicKeyPem: string;
  /** Every path requested, oldest first. */
  readonly requests: string[];
  /**
   * A signed RS256 JWT. Claims default to a channel token for no app that
   * expires in an hour; `key: 'other'` signs with a key that is not published;
   * `keyId` names another key in the header.
   */
  token(claims?: Record<string, unknown>, options?: { key?: 'published' | 'other'; keyId?: string }): string;
  close(): Promise<void>;
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

function signJwt(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject): string {
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(key);
  return `${unsigned}.${base64url(signature)}`;
}

/** Starts the fake on 127.0.0.1 with a fresh RSA key pair. */
export async function startFakeOpenIdMetadata(): Promise<FakeOpenIdMetadata> {
  const published = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyId = 'fake-signing-key-1';
  const requests: string[] = [];
  let root = '';
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(path);
    const send = (body: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (path === '/openid') {
      send({ issuer: CHANNEL_TOKEN_ISSUER, jwks_uri: `${root}/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    } else if (path === '/keys') {
      send({ keys: [{ ...published.publicKey.export({ format: 'jwk' }), kid: keyId, use: 'sig' }] });
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const now = () => Math.floor(Date.now() / 1000);
  return {
    url: `${root}/openid`,
    authenticationSettings: {
      ToBotFromChannelOpenIdMetadataUrl: `${root}/openid`,
      ToBotFromEmulatorOpenIdMetadataUrl: `${root}/openid`,
      ToBotFromChannelTokenIssuer: CHANNEL_TOKEN_ISSUER,
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      OAuthUrl: 'https://api.botframework.com',
      CallerId: 'urn:botframework:azure',
    },
    keyId,
    publicKeyPem: published.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    requests,
    token(claims = {}, { key = 'published', keyId: kid = keyId } = {}) {
      const payload = { iss: CHANNEL_TOKEN_ISSUER, aud: 'no-app', iat: now() - 60, nbf: now() - 60, exp: now() + 3600, ...claims };
      return signJwt({ alg: 'RS256', typ: 'JWT', kid }, payload, key === 'published' ? published.privateKey : other.privateKey);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
