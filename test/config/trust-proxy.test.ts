import { describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../../src/config/trust-proxy.js';

describe('parseTrustProxy', () => {
  it.each([
    [undefined, false],
    ['false', false],
    ['0', false],
    ['1', 1],
    ['10', 10],
    ['10.0.0.1', ['10.0.0.1']],
    ['10.0.0.0/8, 192.168.1.0/24', ['10.0.0.0/8', '192.168.1.0/24']],
    ['fd00::/8,loopback', ['fd00::/8', 'loopback']],
    ['::1', ['::1']],
  ])('reads %j as %j', (text, value) => {
    expect(parseTrustProxy(text)).toEqual({ value });
  });

  it.each(['true', '11', 'yes', '10.0.0.0/33', '10.0.0.1/8/2', 'proxy.example', '10.0.0.1,,10.0.0.2', '-1', '::1/129'])(
    'refuses %j',
    (text) => {
      expect(parseTrustProxy(text)).toHaveProperty('problem');
    },
  );

  it('says what to set instead of true', () => {
    const result = parseTrustProxy('true');
    expect('problem' in result && result.problem).toMatch(/number of proxies.*TRUST_PROXY=1.*addresses/);
  });
});
