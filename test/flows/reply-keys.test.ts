import { describe, expect, it } from 'vitest';
import { createMachine, emit } from 'xstate';
import { collectFlowKeys } from '../../flows/reply-keys.js';
import { REPLY_TABLES } from '../../flows/replies.js';
import { supportFlow } from '../../flows/support-flow.js';
import { choiceLabelKey, RENDERER_KEYS } from '../../src/i18n/reply-renderer.js';
import { allKeys, englishRenderer, loadEnglishMessages, loadNationalContacts, lookup } from './en-gb-messages.js';

const messages = loadEnglishMessages();
const { replyKeys, choiceIds } = collectFlowKeys(supportFlow, REPLY_TABLES);
const buttonIds = [...choiceIds].filter((id) => id !== 'languages');

/** Variables the engine supplies to every message, plus the ones the hours phrases take. */
const ENGINE_VARS = new Set([
  'force.name', 'force.website', 'force.reportUrl', 'force.verifyUrl', 'handlerHours',
  // A call handler's own message, relayed word for word.
  'text',
  // The platform that cannot delete messages ("Messenger"), when clearing the chat.
  'platform',
  ...Object.keys(loadNationalContacts()).map((k) => `contacts.${k}`),
]);
const HOURS_VARS: Record<string, readonly string[]> = {
  'hours.range': ['days', 'from', 'to'],
  'hours.join': ['first', 'rest'],
  'days.span': ['from', 'to'],
  // X's line under a numbered list of choices, filled by the X channel.
  'channel.replyNumber': ['number'],
  'channel.replyNumbers': ['first', 'last'],
};

describe('collectFlowKeys', () => {
  it('finds say keys and choices in entry, exit, transition and eventless actions at any depth', () => {
    const say = (key: string, choices?: string[]) => ({ type: 'say', params: { variants: [{ key, choices }] } });
    const machine = createMachine({
      initial: 'a',
      entry: say('root.entry'),
      on: { GO: { actions: say('root.on', ['x']) } },
      states: {
        a: {
          exit: say('a.exit'),
          initial: 'inner',
          states: { inner: { always: { target: '#b', actions: say('inner.always', ['y', 'z']) } } },
        },
        b: { id: 'b', entry: [say('b.entry'), 'other', { type: 'other', params: { key: 'not.a.reply' } }] },
      },
    }, { actions: { say: emit({ type: 'reply' }), other: () => undefined } } as never);
    const keys = collectFlowKeys(machine);
    expect([...keys.replyKeys].sort()).toEqual(['a.exit', 'b.entry', 'inner.always', 'root.entry', 'root.on']);
    expect([...keys.choiceIds].sort()).toEqual(['x', 'y', 'z']);
  });

  it('adds the keys of reply tables the flow says through its own actions', () => {
    const machine = createMachine({ initial: 'a', states: { a: {} } });
    const keys = collectFlowKeys(machine, [{ key: 'table.one', choices: ['c'] }, { key: 'table.two' }]);
    expect([...keys.replyKeys].sort()).toEqual(['table.one', 'table.two']);
    expect([...keys.choiceIds]).toEqual(['c']);
  });

  it('finds the support flow’s replies, including variants only some people see', () => {
    for (const key of ['welcome.intro', 'risk.harmed.young', 'risk.thoughts.older', 'takedown.child', 'takedown.adult', 'delete.done', 'answer.trouble.child', 'resume.safety']) {
      expect(replyKeys.has(key), key).toBe(true);
    }
  });
});

describe('en-GB messages', () => {
  it('has every reply key the flow uses', () => {
    for (const key of replyKeys) expect(lookup(messages, key), key).toBeTypeOf('string');
  });

  it('has a short label for every button the flow offers', () => {
    for (const id of buttonIds) {
      const label = lookup(messages, choiceLabelKey(id));
      expect(label, id).toBeTypeOf('string');
      expect((label ?? '').length, id).toBeLessThanOrEqual(20);
    }
  });

  it('has every key the engine and renderer use', () => {
    const engineKeys = ['system.rateLimited', 'system.restarted', 'system.error', 'channel.groupChat', 'channel.replyNumber', 'channel.replyNumbers', ...RENDERER_KEYS];
    for (const key of engineKeys) expect(lookup(messages, key), key).toBeTypeOf('string');
    expect(lookup(messages, 'language.nativeName')).toBe('English');
    expect(lookup(messages, 'hours.always')).toBe('24 hours a day, 7 days a week');
  });

  it('uses only variables the engine supplies', () => {
    for (const key of allKeys(messages)) {
      const text = lookup(messages, key) ?? '';
      for (const [, name] of text.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)) {
        const allowed = ENGINE_VARS.has(name as string) || (HOURS_VARS[key] ?? []).includes(name as string);
        expect(allowed, `${key} uses {{${name}}}`).toBe(true);
      }
    }
  });

  it('never writes a national number or web address literally', () => {
    const literals = Object.values(loadNationalContacts());
    for (const key of allKeys(messages)) {
      const text = lookup(messages, key) ?? '';
      for (const literal of literals) expect(text.includes(literal), `${key} contains ${literal}`).toBe(false);
      expect(text, key).not.toMatch(/https?:|www\.|\.org|\.uk\b/);
    }
  });

  it('asks a question in the text of every step that offers answers', () => {
    for (const key of ['safety.ask', 'riskCheck.ask', 'age.ask', 'paid.question', 'delete.confirm', 'language.choose', 'menu.intro',
      'risk.thoughts.young', 'risk.thoughts.unknown', 'risk.danger', 'resume.safety', 'resume.age', 'resume.paid']) {
      expect(lookup(messages, key), key).toContain('?');
    }
  });

  it('never asks for images to be sent', () => {
    for (const key of allKeys(messages)) {
      // "Please don't send us the images" is the opposite of asking, so a negated request is allowed.
      expect(lookup(messages, key), key).not.toMatch(/(?<!(?:don't|do not|never) )\b(send|upload|share) (me|us) (the |your )?(image|photo|picture|video|screenshot)/i);
    }
  });

  it('renders every crisis reply with 999 and Samaritans, and Childline first for a young person', () => {
    const render = englishRenderer();
    const contacts = loadNationalContacts();
    for (const level of ['harmed', 'imminent', 'thoughts']) {
      for (const who of ['young', 'older', 'unknown']) {
        const text = render(`risk.${level}.${who}`, { contacts, force: { name: 'Staffordshire Police' } });
        expect(text, `${level}.${who}`).toContain('999');
        expect(text, `${level}.${who}`).toContain('116 123');
        expect(text.includes('0800 1111'), `${level}.${who}`).toBe(who !== 'older');
        expect(text, `${level}.${who}`).not.toContain('{{');
      }
    }
    expect(render('risk.harmed.young', { contacts })).toMatch(/ambulance/);
    expect(render('risk.harmed.young', { contacts })).toContain('press 55');
    expect(render('risk.imminent.unknown', { contacts })).toContain('85258');
  });
});
