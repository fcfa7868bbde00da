import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, isLoopbackUrl } from '../../src/core/loopback.js';

describe('loopback', () => {
  it.each([
    ['http://127.0.0.1:8081', true],
    ['http://127.1.2.3', true],
    ['http://localhost:3000/bot', true],
    ['http://LOCALHOST', true],
    ['http://[::1]:9000', true],
    ['http://[0:0:0:0:0:0:0:1]', true],
    ['http://[::ffff:127.0.0.1]', true],
    ['http://128.0.0.1', false],
    ['http://10.0.0.5', false],
    ['http://api.telegram.org', false],
    ['http://127.0.0.1.example.com', false],
    ['http://localhost.example.com', false],
    ['http://[::2]', false],
    ['http://[::ffff:10.0.0.1]', false],
    ['not a url', false],
  ])('%s is loopback: %s', (url, expected) => {
    expect(isLoopbackUrl(url)).toBe(expected);
  });

  it.each([
    ['127.0.0.1', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['192.0.2.2', false],
    ['::ffff:192.0.2.2', false],
    ['fd00::2', false],
    ['localhost', false],
    [undefined, false],
  ])('socket address %s is loopback: %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});
