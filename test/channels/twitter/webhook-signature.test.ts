import { describe, expect, it } from 'vitest';
import { crcResponse, isValidXSignature, xSignature } from '../../../src/channels/twitter/webhook-signature.js';

describe('X webhook signatures', () => {
  it('answers the CRC with the value X documents for its test vector', () => {
    expect(crcResponse('test-consumer-secret', 'challenge_string')).toEqual({
      response_token: 'sha256=wbxoN8scmhw5dqzftzpj6g3uAnVpSktqxDDUHYNfIqA=',
    });
  });

  it.each([
    ['the base64 of a UUID, as X sends', 'M2RkODJkZmMtYjlkYi00NmQ4LTk0MGUtM2JjYzkwM2Q4MjQ0'],
    ['URL-safe characters', 'abc-DEF_ghi-JKL_0123'],
    ['padding', 'MTc2OTUxODI5MjkxNA=='],
    ['16 characters', 'a'.repeat(16)],
    ['128 characters', 'a'.repeat(128)],
  ])('answers a token with %s', (_what, token) => {
    expect(crcResponse('secret', token)).toEqual({ response_token: xSignature('secret', token) });
  });

  it.each([
    ['a delivery body', '{"for_user_id":"1","direct_message_events":[]}'],
    ['15 characters', 'a'.repeat(15)],
    ['129 characters', 'a'.repeat(129)],
    ['standard base64 + and /', 'abcdefgh+ijklmnop/qr'],
    ['padding in the middle', 'abcdefgh==ijklmnop'],
    ['three padding characters', 'abcdefghijklmnop==='],
    ['a space', 'abcdefgh ijklmnop'],
    ['a line break', 'abcdefghijklmnop\n'],
    ['nothing', ''],
    ['a repeated parameter', ['abcdefghijklmnop', 'abcdefghijklmnop']],
    ['no token', undefined],
  ])('answers nothing to %s', (_what, token) => {
    expect(crcResponse('secret', token)).toBeUndefined();
  });

  it('accepts the signature of exactly these bytes', () => {
    const body = Buffer.from('{"for_user_id":"1","direct_message_events":[]}');
    expect(isValidXSignature('secret', body, xSignature('secret', body))).toBe(true);
  });

  it('rejects a missing, empty, truncated or foreign signature', () => {
    const body = Buffer.from('{"a":1}');
    const good = xSignature('secret', body);
    expect(isValidXSignature('secret', body, undefined)).toBe(false);
    expect(isValidXSignature('secret', body, '')).toBe(false);
    expect(isValidXSignature('secret', body, good.slice(0, -2))).toBe(false);
    expect(isValidXSignature('secret', body, xSignature('other-secret', body))).toBe(false);
    expect(isValidXSignature('secret', Buffer.from('{"a": 1}'), good)).toBe(false);
  });
});
