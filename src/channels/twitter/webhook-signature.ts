import { createHmac, timingSafeEqual } from 'node:crypto';
import { isXCrcToken } from './crc-token.js';

/**
 * X signs both its webhook challenge (CRC) and every delivery with the app's
 * consumer secret: `sha256=` + base64(HMAC-SHA256(secret, data)). One function
 * computes it so the CRC answer and the delivery check can never disagree.
 */
export function xSignature(consumerSecret: string, data: string | Buffer): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(data).digest('base64')}`;
}

/**
 * The body X expects in answer to `GET ?crc_token=…`, or undefined when the
 * token does not have the shape X sends: the answer is the signature a
 * delivery of those bytes would carry, so nothing else may be signed. X
 * repeats this check hourly; a wrong answer unregisters the webhook, so no
 * DMs arrive at all.
 */
export function crcResponse(consumerSecret: string, crcToken: unknown): { response_token: string } | undefined {
  return isXCrcToken(crcToken) ? { response_token: xSignature(consumerSecret, crcToken) } : undefined;
}

/**
 * True when `header` (the `x-twitter-webhooks-signature` value) is X's
 * signature of exactly these raw body bytes. Compared in constant time so a
 * forger cannot learn the signature byte by byte from response timings.
 * Anyone who can post to the webhook could otherwise impersonate a person in
 * crisis, or make the bot message arbitrary accounts.
 */
export function isValidXSignature(consumerSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (header === undefined || header.length === 0) return false;
  const expected = Buffer.from(xSignature(consumerSecret, rawBody), 'utf8');
  const given = Buffer.from(header, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
