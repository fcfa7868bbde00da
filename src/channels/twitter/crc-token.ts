/**
 * The shape of a `crc_token` X sends: URL-safe base64 (X's own are the
 * base64 of a UUID, 48 characters, e.g. `M2RkODJkZmMtYjlkYi00NmQ4LTk0MGUtM2JjYzkwM2Q4MjQ0`),
 * with or without `=` padding, 16-128 characters in all.
 *
 * The CRC answer is the same HMAC as a delivery's signature, so answering
 * any token would sign any body an attacker chose. A delivery is JSON, and
 * no JSON object or array can be written in these characters, so a token of
 * this shape can never be a delivery.
 */
export const X_CRC_TOKEN_PATTERN = /^(?=.{16,128}$)[A-Za-z0-9_-]+={0,2}$/;

/** True when `token` has the shape of a challenge X sends (see {@link X_CRC_TOKEN_PATTERN}). */
export function isXCrcToken(token: unknown): token is string {
  return typeof token === 'string' && X_CRC_TOKEN_PATTERN.test(token);
}
