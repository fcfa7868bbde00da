import { describe, expect, it } from 'vitest';
import { isInboundEvent } from '../../src/core/inbound-event.js';

const key = { channel: 'telegram', id: '42' };

describe('isInboundEvent', () => {
  it.each([
    ['text', { key, payload: { type: 'text', text: 'hi' } }],
    ['a pressed choice', { key, payload: { type: 'choice', choiceId: 'next' } }],
    ['an attachment', { key, payload: { type: 'attachment', attachment: 'image' } }],
    ['a start', { key: { channel: 'botframework', id: 'c1' }, payload: { type: 'start' }, localeHint: 'cy' }],
    ["a handler's message", { key, payload: { type: 'handler', action: 'message', text: 'hello' } }],
    ['a timer', { key, payload: { type: 'timer', check: 'safety' } }],
  ])('accepts %s', (_what, value) => {
    expect(isInboundEvent(value)).toBe(true);
  });

  it.each([
    ['nothing', null],
    ['a string', 'hi'],
    ['no key', { payload: { type: 'text', text: 'hi' } }],
    ['an unknown channel', { key: { channel: 'sms', id: '1' }, payload: { type: 'text', text: 'hi' } }],
    ['a numeric id', { key: { channel: 'telegram', id: 42 }, payload: { type: 'text', text: 'hi' } }],
    ['an unknown payload type', { key, payload: { type: 'voice' } }],
    ['text without its text', { key, payload: { type: 'text' } }],
    ['an unknown attachment kind', { key, payload: { type: 'attachment', attachment: 'exe' } }],
    ["a handler's message without text", { key, payload: { type: 'handler', action: 'message' } }],
  ])('refuses %s', (_what, value) => {
    expect(isInboundEvent(value)).toBe(false);
  });
});
