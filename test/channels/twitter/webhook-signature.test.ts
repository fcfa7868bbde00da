import { describe, expect, it } from 'vitest';
import { crcResponse, isValidXSignature, xSignature } from '../../../src/channels/twitter/webhook-signature.js';

describe('X webhook signatures', () => {
  it('answers the CRC with the value X documents for its test vector', () => {
    expect(crcResponse('test-consumer-secret', 'challenge_string')).toEqual({
      response_token: 'sha256=wbxoN8scmhw5dqzftzpj6g3uAnVpSktqxDDUHYNfIqA=',
    });
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
