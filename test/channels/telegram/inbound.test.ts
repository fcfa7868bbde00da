import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isUpdate, translateUpdate } from '../../../src/channels/telegram/inbound.js';

function fixture(name: string): Record<string, unknown> & { update_id: number } {
  const value: unknown = JSON.parse(readFileSync(new URL(`../../fixtures/telegram/${name}.json`, import.meta.url), 'utf8'));
  if (!isUpdate(value)) throw new Error(`fixture ${name} is not an update`);
  return value;
}

describe('translateUpdate', () => {
  it('keys private chats by chat id and carries the update id as messageId', () => {
    const action = translateUpdate(fixture('private-text'));
    expect(action).toMatchObject({ kind: 'dispatch', event: { key: { channel: 'telegram', id: '5012345678' }, messageId: '734512001' } });
  });

  it("marks the person's own private message as one the bot may delete, and a pressed button as none", () => {
    expect(translateUpdate(fixture('private-text'))).toMatchObject({ kind: 'dispatch', event: { deletableId: '1365' } });
    const pressed = translateUpdate(fixture('callback-query'));
    expect(pressed.kind === 'dispatch' && pressed.event.deletableId).toBe(undefined);
  });

  it('treats /start@ThisBot as start, and ignores a group command for another bot', () => {
    const update = fixture('private-start');
    const message = update.message as Record<string, unknown>;
    const addressed = { ...update, message: { ...message, text: '/start@ExampleSupportBot', entities: [{ offset: 0, length: 24, type: 'bot_command' }] } };
    expect(translateUpdate(addressed, { botUsername: 'examplesupportbot' })).toMatchObject({ kind: 'dispatch', event: { payload: { type: 'start' } } });
    expect(translateUpdate(fixture('group-command-other-bot'), { botUsername: 'ExampleSupportBot' })).toEqual({ kind: 'ignore', reason: 'command_for_other_bot' });
  });

  it('does not read a command from text that merely starts with a slash', () => {
    const update = fixture('private-text');
    const message = update.message as Record<string, unknown>;
    const action = translateUpdate({ ...update, message: { ...message, text: '/start is what they told me to type' } });
    expect(action).toMatchObject({ event: { payload: { type: 'text', text: '/start is what they told me to type' } } });
  });

  it('passes a photo caption on for crisis reading, but nothing that would fetch the photo', () => {
    const action = translateUpdate(fixture('photo'));
    expect(action).toMatchObject({ event: { payload: { type: 'attachment', attachment: 'image', caption: 'this is what they sent me' } } });
    expect(JSON.stringify(action)).not.toContain('file_id');
  });

  it('reports an animation as video although it also carries a document', () => {
    expect(translateUpdate(fixture('animation'))).toMatchObject({ event: { payload: { type: 'attachment', attachment: 'video' } } });
  });

  it('asks for a group notice in the sender\'s language, for groups and supergroups', () => {
    expect(translateUpdate(fixture('group-text'))).toEqual({ kind: 'group-notice', chatId: '-4098765432', localeHint: 'en' });
    expect(translateUpdate(fixture('supergroup-text'))).toEqual({ kind: 'group-notice', chatId: '-1001987654321', localeHint: 'cy' });
  });

  it('blocks on kicked and unblocks on member', () => {
    expect(translateUpdate(fixture('my-chat-member-kicked'))).toEqual({ kind: 'block', chatId: '5012345678' });
    expect(translateUpdate(fixture('my-chat-member-member'))).toEqual({ kind: 'unblock', chatId: '5012345678' });
  });

  it('only answers a button press that has no data or comes from a group', () => {
    const update = fixture('callback-query');
    const query = update.callback_query as Record<string, unknown>;
    const { data: _data, ...withoutData } = query;
    expect(translateUpdate({ ...update, callback_query: withoutData })).toEqual({ kind: 'answer-only', callbackQueryId: '2158713694376429317', reason: 'no_data' });
    const inGroup = { ...query, message: { ...(query.message as object), chat: { id: -4098765432, title: 'Year 11 chat', type: 'group' } } };
    expect(translateUpdate({ ...update, callback_query: inGroup })).toMatchObject({ kind: 'answer-only', reason: 'group_chat' });
  });

  it('names what it ignores by update kind only', () => {
    expect(translateUpdate(fixture('edited-message'))).toEqual({ kind: 'ignore', reason: 'edited_message' });
    expect(translateUpdate(fixture('channel-post'))).toEqual({ kind: 'ignore', reason: 'channel_post' });
    expect(translateUpdate(fixture('message-reaction'))).toEqual({ kind: 'ignore', reason: 'message_reaction' });
    expect(translateUpdate(fixture('new-chat-members'))).toEqual({ kind: 'ignore', reason: 'service_message' });
    expect(translateUpdate(fixture('pinned-message'))).toEqual({ kind: 'ignore', reason: 'service_message' });
  });

  it('survives malformed shapes without throwing', () => {
    expect(translateUpdate({ update_id: 1, message: { chat: 'nope' } })).toEqual({ kind: 'ignore', reason: 'no_chat' });
    expect(translateUpdate({ update_id: 1, callback_query: { id: 7 } })).toEqual({ kind: 'ignore', reason: 'malformed_callback_query' });
    expect(isUpdate({ update_id: '1' })).toBe(false);
    expect(isUpdate([])).toBe(false);
  });
});
