import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseXDelivery } from '../../../src/channels/twitter/inbound.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/twitter/${name}`, import.meta.url), 'utf8'));

const AAA_FORCE = '4337869213';
const XAA_FORCE = '1111111111111111111';

describe('parseXDelivery', () => {
  it('turns an Account Activity DM into a text event keyed by the sender, with X event id and time', () => {
    const delivery = parseXDelivery(fixture('aaa-dm-text.json'), AAA_FORCE);
    expect(delivery.kind).toBe('direct-messages');
    expect(delivery.events).toEqual([
      {
        key: { channel: 'twitter', id: '3001969357' },
        payload: { type: 'text', text: 'someone says they will send my pics to everyone unless i pay' },
        messageId: '954491830116155396',
        sentAt: 1516403560557,
      },
    ]);
    expect(delivery.events[0]?.localeHint).toBeUndefined();
  });

  it('turns an X Activity API dm.received into the same kind of event', () => {
    const delivery = parseXDelivery(fixture('xaa-dm-received.json'), XAA_FORCE);
    expect(delivery.events).toEqual([
      {
        key: { channel: 'twitter', id: '2222222222222222222' },
        payload: { type: 'text', text: 'hello!' },
        messageId: '2080765901528535096',
        sentAt: 1784928224372,
      },
    ]);
  });

  it('skips DMs our own account sent', () => {
    const delivery = parseXDelivery(fixture('aaa-dm-echo.json'), AAA_FORCE);
    expect(delivery).toMatchObject({ kind: 'direct-messages', events: [], echoes: 1 });
  });

  it('reads a quick-reply answer as the choice id we offered', () => {
    const [event] = parseXDelivery(fixture('aaa-dm-quick-reply.json'), AAA_FORCE).events;
    expect(event?.payload).toEqual({ type: 'choice', choiceId: 'age.under18' });
  });

  it('reports media only by kind, never its address', () => {
    const [event] = parseXDelivery(fixture('aaa-dm-media.json'), AAA_FORCE).events;
    expect(event?.payload).toEqual({ type: 'attachment', attachment: 'image' });
    expect(JSON.stringify(event)).not.toContain('ton.twitter.com');
  });

  it('takes a locale hint only from a user object that carries lang', () => {
    const body = fixture('aaa-dm-text.json') as { users: Record<string, Record<string, unknown>> };
    body.users['3001969357'] = { ...body.users['3001969357'], lang: 'cy' };
    expect(parseXDelivery(body, AAA_FORCE).events[0]?.localeHint).toBe('cy');
  });

  it.each([
    ['aaa-typing.json', AAA_FORCE],
    ['aaa-mark-read.json', AAA_FORCE],
    ['aaa-tweet-create.json', AAA_FORCE],
    ['aaa-favorite.json', AAA_FORCE],
    ['xaa-dm-sent.json', XAA_FORCE],
  ])('ignores %s', (name, force) => {
    const delivery = parseXDelivery(fixture(name), force);
    expect(delivery.kind).toBe('other-activity');
    expect(delivery.events).toEqual([]);
  });

  it('ignores deliveries for another subscribed account', () => {
    expect(parseXDelivery(fixture('aaa-dm-text.json'), '999').kind).toBe('other-account');
    expect(parseXDelivery(fixture('xaa-dm-received.json'), '999').kind).toBe('other-account');
  });

  it('skips malformed DM events but keeps the good ones', () => {
    const body = fixture('aaa-dm-text.json') as { direct_message_events: unknown[] };
    body.direct_message_events.unshift({ type: 'message_create', id: '1' }, 'nonsense');
    const delivery = parseXDelivery(body, AAA_FORCE);
    expect(delivery.skipped).toBe(2);
    expect(delivery.events).toHaveLength(1);
  });
});
