import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadForceProfile } from '../../src/config/force-profile.js';
import { packageRoot } from '../../src/config/package-root.js';
import { defaultProfilePath } from '../../src/app/bot-core.js';
import { loadLocaleCatalogue } from '../../src/i18n/locale-catalogue.js';
import { loadNationalContacts } from '../../src/i18n/national-contacts.js';
import { ReplyRenderer } from '../../src/i18n/reply-renderer.js';
import type { Choice } from '../../src/core/outbound-message.js';

const localesDir = join(packageRoot(), 'locales');
const renderer = new ReplyRenderer(loadLocaleCatalogue(localesDir), await loadForceProfile(defaultProfilePath()), loadNationalContacts(localesDir));

describe('ReplyRenderer', () => {
  it('renders a reply in the asked language with its buttons and the links its text mentions', () => {
    const [english] = renderer.render([{ key: 'risk.thoughts.unknown', choices: ['continue'] }], 'en-GB');
    const [welsh] = renderer.render([{ key: 'risk.thoughts.unknown', choices: ['continue'] }], 'cy');
    expect(english?.key).toBe('risk.thoughts.unknown');
    expect(english?.text).toContain('116 123');
    expect(welsh?.text).toContain('116 123');
    expect(welsh?.text).not.toBe(english?.text);
    expect(english?.choices.map((c) => c.id)).toEqual(['continue']);
    expect(english?.text).toContain('samaritans.org');
    expect(english?.links.map((l) => l.url)).toContain('https://samaritans.org/');
  });

  it('links each address once: a site named only inside a longer address the text gives is not linked again', () => {
    const [isBot] = renderer.render([{ key: 'answer.isBot.any' }], 'en-GB');
    expect(isBot?.links.map((l) => l.url)).toEqual(['https://www.staffordshire.police.uk/']);
    const [report] = renderer.render([{ key: 'report.adult' }], 'en-GB');
    expect(report?.links.map((l) => l.url)).toEqual(['https://www.staffordshire.police.uk/ro/report/ocr/af/how-to-report-a-crime/']);
  });

  it('renders a reply without variables once per language and choice set, and shares it frozen', () => {
    const first = renderer.renderOne({ key: 'menu.intro', choices: ['q:shouldPay', 'q:evidence'] }, 'en-GB');
    const again = renderer.renderOne({ key: 'menu.intro', choices: ['q:shouldPay', 'q:evidence'] }, 'en-GB');
    const otherChoices = renderer.renderOne({ key: 'menu.intro', choices: ['q:shouldPay'] }, 'en-GB');
    const otherLocale = renderer.renderOne({ key: 'menu.intro', choices: ['q:shouldPay', 'q:evidence'] }, 'pl');
    expect(again).toBe(first);
    expect(otherChoices).not.toBe(first);
    expect(otherChoices.choices).toHaveLength(1);
    expect(otherLocale.text).not.toBe(first.text);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.choices)).toBe(true);
    expect(() => (first.choices as unknown as Choice[]).push({ id: 'x', label: 'x' })).toThrow(TypeError);
  });

  it('leaves out a line the language does not have', () => {
    expect(renderer.render([{ key: 'local.crisis' }, { key: 'menu.intro' }], 'en-GB').map((m) => m.key)).toEqual(['menu.intro']);
  });

  it('shows a pressed button in a transcript as the label the person saw, and an id it never offers as unknown', () => {
    expect(renderer.choiceLabel('q:shouldPay', 'en-GB')).toBe(renderer.text('choice.q.shouldPay', 'en-GB'));
    expect(renderer.choiceLabel('lang:cy', 'en-GB')).toBe(renderer.text('language.nativeName', 'cy'));
    expect(renderer.choiceLabel('<script>', 'en-GB')).toBe(renderer.text('choice.unknown', 'en-GB'));
  });

  it('never reuses a reply that carries its own variables, such as a call handler’s words', () => {
    const one = renderer.renderOne({ key: 'handoff.handlerMessage', vars: { text: 'Hello, I am Sam.' } }, 'en-GB');
    const two = renderer.renderOne({ key: 'handoff.handlerMessage', vars: { text: 'Are you safe now?' } }, 'en-GB');
    expect(one.text).toBe('Hello, I am Sam.');
    expect(two.text).toBe('Are you safe now?');
  });
});
