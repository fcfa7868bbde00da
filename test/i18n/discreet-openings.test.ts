import { describe, expect, it } from 'vitest';
import { createBotCore } from '../../src/app/bot-core.js';
import { loadForceProfile } from '../../src/config/force-profile.js';
import { defaultProfilePath } from '../../src/app/bot-core.js';
import { OPENING_LENGTH, REVEALING_WORDS, revealingWordIn } from '../../src/i18n/discreet-opening.js';
import { readMessages } from '../support/locale-messages.js';

/**
 * What a person reads: every message key, except the console's own labels
 * (the call handler's screen, never sent to the person), whose saved replies
 * are sent and so count.
 */
const sentToThePerson = (key: string) => !key.startsWith('console.') || /^console\.savedReplies\.\w+\.text$/.test(key);

describe('discreet openings', () => {
  it(`keeps every word that gives the chat away out of the first ${OPENING_LENGTH} characters of every message, in every language`, async () => {
    const core = await createBotCore();
    const revealing: string[] = [];
    let checked = 0;
    for (const locale of core.catalogue.locales) {
      for (const key of [...readMessages(locale).keys()].filter(sentToThePerson)) {
        const text = core.renderer.text(key, locale);
        checked++;
        const word = revealingWordIn(text);
        if (word !== undefined) revealing.push(`${locale} ${key}: "${word}" in "${text.slice(0, OPENING_LENGTH)}"`);
      }
    }
    expect(checked).toBeGreaterThan(3 * 250);
    expect(revealing).toEqual([]);
  });

  it('knows the words in English, Welsh and Polish, as they are written, at the start of a word, within the opening only', () => {
    for (const text of ['Sextortion is a crime', 'Are the NUDES real?', 'Thinking of suicide?', 'Call the police', 'Ffonia’r heddlu', 'lluniau noeth', 'meddyliau am hunanladdiad', 'Zadzwoń na policję', 'nagie zdjęcia', 'myśli samobójcze', 'Policjant oddzwoni', 'To report this, call Staffordshire Police']) {
      expect(revealingWordIn(text), text).toBeDefined();
    }
    for (const text of ['Read our privacy policy', 'Nagle coś się stało', 'You have a new message.', `${'x'.repeat(OPENING_LENGTH)} police`]) {
      expect(revealingWordIn(text), text).toBeUndefined();
    }
    expect(REVEALING_WORDS).toEqual(expect.arrayContaining(['heddlu', 'noeth', 'hunanladd', 'policj', 'nagi', 'samoboj']));
  });

  it("leads a message whose opening would give the chat away (a call handler's own words) with a neutral line, in the person's language", async () => {
    const core = await createBotCore();
    const [relayed] = core.renderer.render([{ key: 'handoff.handlerMessage', vars: { text: 'Police officers can visit you today.' } }], 'cy');
    expect(relayed?.text).toBe(`${core.renderer.text('discreet.opening', 'cy')}\n\nPolice officers can visit you today.`);
    expect(revealingWordIn(relayed?.text ?? '')).toBeUndefined();
    // The neutral line fills the whole opening by itself, in every language, so nothing after it can show.
    for (const locale of core.catalogue.locales) expect(core.renderer.text('discreet.opening', locale).length, locale).toBeGreaterThanOrEqual(OPENING_LENGTH);
    const [plain] = core.renderer.render([{ key: 'handoff.handlerMessage', vars: { text: 'Hello, I can help.' } }], 'en-GB');
    expect(plain?.text).toBe('Hello, I can help.');
  });

  it("keeps a force's own name out of the opening too, and leaves messages as written when the force turns discreet mode off", async () => {
    const shipped = await loadForceProfile(defaultProfilePath());
    const on = await createBotCore({ profile: { ...shipped, name: 'Police Scotland' } });
    const off = await createBotCore({ profile: { ...shipped, name: 'Police Scotland', discreet: false } });
    const reply = [{ key: 'handoff.handlerMessage', vars: { text: 'Police Scotland here.' } }];
    expect(revealingWordIn(on.renderer.render(reply, 'en-GB')[0]?.text ?? '')).toBeUndefined();
    expect(off.renderer.render(reply, 'en-GB')[0]?.text).toBe('Police Scotland here.');
    expect(shipped.discreet).toBe(true);
  });
});
