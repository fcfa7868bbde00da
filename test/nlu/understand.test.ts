import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileLexicon, loadLexicons } from '../../src/nlu/lexicon.js';
import { loadUnderstander } from '../../src/nlu/load-understander.js';
import { loadLinearModel, modelFromFile } from '../../src/nlu/linear-model.js';
import { MODEL_FILE } from '../../src/nlu/model-file.js';
import { MODEL_HEADS } from '../../src/nlu/model-heads.js';
import { createUnderstander } from '../../src/nlu/understand.js';

const LOCALES = join(import.meta.dirname, '..', '..', 'locales');
const understander = loadUnderstander(LOCALES);
const en = (text: string, expecting: 'any' | 'safety' | 'riskCheck' | 'age' | 'paid' = 'any') =>
  understander.understand(text, { locale: 'en-GB', expecting });

describe('createUnderstander', () => {
  it('lists the locales it has data for', () => {
    expect(understander.locales).toEqual(['cy', 'en-GB', 'pl']);
  });

  it('refuses to start without data for the fallback locale', () => {
    const lexicon = compileLexicon('cy', { risk: { harmed: ['x y'], imminent: ['y z'], thoughts: ['z w'] }, danger: ['w v'] });
    expect(() => createUnderstander({ lexicons: [lexicon] })).toThrow(/en-GB/);
  });

  it('understands nothing in blank text, and an emoji-only message as a social turn', () => {
    expect(en('   ')).toEqual({ danger: false, matched: [], facts: {} });
    expect(en('😢😢')).toEqual({ danger: false, matched: [], facts: {}, social: 'emoji' });
  });

  /**
   * An understander whose model hears risk (harmed) in one word only, "pills" in its matching form "pils", and
   * no risk in "he wants more money" or in words it does not know.
   */
  const oneRiskWord = (riskWeight: number, otherWeight: number) => {
    const model = modelFromFile({
      version: 1,
      corpusDigest: 'x',
      features: ['w:pils', 'w:he', 'w:wants', 'w:more', 'w:money'],
      heads: {
        ...Object.fromEntries(Object.entries(MODEL_HEADS).map(([head, classes]) => [head, { classes: [...classes], bias: classes.map(() => 0), weights: [] }])),
        risk: {
          classes: [...MODEL_HEADS.risk],
          bias: MODEL_HEADS.risk.map((c) => (c === 'none' ? 3 : 0)),
          weights: [0, MODEL_HEADS.risk.indexOf('harmed'), riskWeight, ...[1, 2, 3, 4].flatMap((feature) => [feature, 0, otherWeight])],
        },
      },
    });
    const lexicon = compileLexicon('en-GB', { risk: { harmed: ['x y'], imminent: ['y z'], thoughts: ['z w'] }, danger: ['w v'] });
    const reader = createUnderstander({ lexicons: [lexicon], model });
    return (text: string) => reader.understand(text, { locale: 'en-GB' }).risk;
  };

  it('reads each sentence of a long message for risk, so one sentence is not outvoted by the story around it', () => {
    const risk = oneRiskWord(5000, 1500);
    expect(risk('he wants more money pills')).toBeUndefined();
    expect(risk('he wants more money. pills')).toBe('harmed');
  });

  it('reads stretches of a long sentence typed without full stops for risk, when the classifier is very sure of one', () => {
    const risk = oneRiskWord(6000, 2000);
    expect(risk('he wants more money pills')).toBeUndefined();
    expect(risk('he wants more money and then some other filler words here now pills')).toBe('harmed');
  });

  it('weighs the classifier\'s reading of risk against the thresholds of the message\'s own language', () => {
    const lexicons = loadLexicons(LOCALES);
    const model = loadLinearModel(join(LOCALES, MODEL_FILE));
    const never = { emergency: 1.1, danger: 1.1, crisis: 1.1, unclear: 1.1 };
    const text = 'The idea of ending things keeps coming back. I have a good life on paper.';
    const strictInEnglish = createUnderstander({ lexicons, model, localeThresholds: { 'en-GB': never } });
    const strictInPolish = createUnderstander({ lexicons, model, localeThresholds: { pl: never } });
    expect(strictInEnglish.understand(text, { locale: 'pl' }).risk).toBeUndefined();
    expect(strictInPolish.understand(text, { locale: 'pl' }).risk).toBe('thoughts');
  });

  it('works from the rules alone when there is no model', () => {
    const rulesOnly = createUnderstander({ lexicons: loadLexicons(LOCALES) });
    expect(rulesOnly.understand('i just took all my mums pills', { locale: 'en-GB' }).risk).toBe('harmed');
    expect(rulesOnly.understand('should i pay him', { locale: 'en-GB' }).question).toBe('shouldPay');
    expect(rulesOnly.understand('im on the bathroom floor, ive taken everything i had', { locale: 'en-GB' }).risk).toBe('harmed');
    expect(rulesOnly.understand('he has taken everything from me', { locale: 'en-GB' }).risk).toBeUndefined();
  });
});

describe('risk, graded', () => {
  it.each([
    ['i just took all my mums pills', 'harmed'],
    ['im bleeding and it wont stop', 'harmed'],
    ['im on the bridge now', 'imminent'],
    ['i want to die tonight', 'imminent'],
    ['i want to die', 'thoughts'],
    ['everyone would be better off without me', 'thoughts'],
    ['kms', 'thoughts'],
    ['i cant do this anymore', 'unclear'],
    ['whats the point', 'unclear'],
  ] as const)('reads "%s" as %s', (text, level) => {
    expect(en(text).risk).toBe(level);
  });

  it('reads danger from someone else as danger, and says which rules matched, never the words', () => {
    const u = en('hes outside my house right now');
    expect(u.danger).toBe(true);
    expect(u.matched.length).toBeGreaterThan(0);
    expect(u.matched.join(' ')).not.toContain('house');
  });

  it('does not read a reassurance as the danger or the crisis it denies', () => {
    for (const text of ['im not suicidal or anything i just want him to stop', 'nobody is going to hurt me, im at home', 'im dead tired', 'my mum will kill me if she finds out']) {
      const u = en(text);
      expect(u.risk === undefined || u.risk === 'unclear', text).toBe(true);
      expect(u.danger, text).toBe(false);
    }
  });

  it('still reads an overdose after a reassurance', () => {
    expect(en('im not going to kill myself, i already took the pills').risk).toBe('harmed');
  });

  it('reads "yeah im safe" to "are you safe?" as yes and no risk, and "not really" as no', () => {
    expect(en('yeah im safe', 'safety')).toMatchObject({ answer: 'yes' });
    expect(en('yeah im safe', 'safety').risk).toBeUndefined();
    expect(en('not really', 'safety').answer).toBe('no');
    expect(en('idk', 'safety').answer).toBe('unsure');
  });

  it.each([
    ['en-GB', 'im safe'],
    ['cy', "dwi'n saff"],
    ['pl', 'jestem bezpieczna'],
  ])('reads a reassurance (%s "%s") sent to "how old are you?" as a reassurance, not as a yes to a question nobody asked', (locale, text) => {
    const u = understander.understand(text, { locale, expecting: 'age' });
    expect(u.social).toBe('reassured');
    expect(u.answer).toBeUndefined();
    expect(u.risk).toBeUndefined();
  });

  it('hears "is there a real person or is this a bot?" as a question about the bot, in Welsh as in English, not as a request for a person', () => {
    const cy = understander.understand('oes na rywun go iawn yna neu bot di hwn?', { locale: 'cy', expecting: 'any' });
    expect(cy.question).toBe('isBot');
    expect(cy.command).toBeUndefined();
    expect(en('is there a real person there or is this a bot?').question).toBe('isBot');
    expect(understander.understand('dwi isio siarad efo rhywun go iawn', { locale: 'cy', expecting: 'any' }).command).toBe('human');
  });

  it('answers a greeting of a word or two in the only language whose rules know it', () => {
    expect(en('siema').language).toBe('pl');
    expect(en('haia').language).toBe('cy');
    expect(en('hello').language).toBeUndefined();
  });

  it('reads a story told in answer to "are you safe?" as a story, not as "no"', () => {
    expect(en('someone has a video of me and wants money', 'safety').answer).toBeUndefined();
    expect(en('not really, my stepdad is downstairs', 'safety').answer).toBe('no');
  });

  it('answers a question asked in reply to the direct question about their life, rather than reading it as no', () => {
    const u = understander.understand('czy policja przyjdzie do domu jak to zglosimy?', { locale: 'pl', expecting: 'riskCheck' });
    expect(u.question).toBe('afterReport');
    expect(u.answer).toBeUndefined();
  });

  it('reads a hedged "safe" to "are you safe?" as unsure, so it is followed up', () => {
    expect(en('yes im safe but not ok', 'safety').answer).toBe('unsure');
    expect(en('no ones here but im not ok', 'safety').answer).toBe('unsure');
    expect(en('physically yes', 'safety').answer).toBe('unsure');
    expect(en('no im safe', 'safety').answer).toBe('yes');
  });

  it('keeps a "no" to "are you safe?" when the only harmless words come later in the story, not as the answer', () => {
    expect(en('no. my brother is stood in front of the door and wont let me out, im dead tired', 'safety').answer).toBe('no');
    expect(en('no im not in danger', 'safety').answer).toBe('yes');
    expect(en('no ones going to hurt me, hes in another country', 'safety').answer).toBe('yes');
  });

  it.each([
    ['en-GB', 'No. my dad will kill me if he sees them', 'no'],
    ['en-GB', 'nah, killing myself laughing at how dumb this is', 'no'],
    ['cy', "na. mam am ladd fi os ma hi'n gweld", 'no'],
    ['pl', 'nie. stary mnie zabije jak zobaczy', 'no'],
  ] as const)('does not take a harmless idiom (in %s, "%s") sent to "are you safe?" for a yes: only a reassurance is one', (locale, text, answer) => {
    expect(understander.understand(text, { locale, expecting: 'safety' }).answer).toBe(answer);
  });

  it('tells a noose from a nose, which read the same once doubled letters are squeezed', () => {
    expect(en('ive made a noose').risk).toBe('imminent');
    expect(en('theres a noose in the garage').risk).toBe('imminent');
    expect(en('got hit in the nose at football practice, anyway how do i report him').risk).toBeUndefined();
    expect(en('broke my nose at rugby on saturday').risk).toBeUndefined();
  });

  it('keeps a hedged answer to the direct question unsure even beside a reassurance, so it is followed up', () => {
    expect(en('sometimes i think about it but not like that', 'riskCheck').answer).toBe('unsure');
    expect(en('idk, im fine', 'riskCheck').answer).toBe('unsure');
    expect(en('no im fine', 'riskCheck').answer).toBe('no');
  });

  it.each([
    ['safety', '🙂', 'unsure'],
    ['safety', '...', 'unsure'],
    ['safety', '?', 'unsure'],
    ['safety', '👍', 'yes'],
    ['safety', '👍🏽', 'yes'],
    ['riskCheck', '😶', 'unsure'],
    ['riskCheck', '👍', 'unsure'],
  ] as const)('reads a reply with no words to the %s question ("%s") as %s, so only a thumbs up counts as safe', (expecting, text, answer) => {
    expect(en(text, expecting).answer).toBe(answer);
  });

  it('reads emoji or dots sent unprompted as a social turn or nothing, never as an answer', () => {
    expect(en('🙂').answer).toBeUndefined();
    expect(en('...')).toEqual({ danger: false, matched: [], facts: {} });
  });

  it.each([
    ['en-GB', 'yes but im fine', 'yes'],
    ['en-GB', 'yeah tho im ok', 'yes'],
    ['en-GB', 'yeah im ok', 'no'],
    ['en-GB', 'yes im fine', 'no'],
    ['cy', "ydw ond dwi'n iawn", 'yes'],
    ['cy', "na dwi'n iawn", 'no'],
    ['pl', 'tak ale jestem ok', 'yes'],
  ] as const)('asked about their life, in %s, reads "%s" as %s: a yes set against a reassurance is still a yes', (locale, text, answer) => {
    expect(understander.understand(text, { locale, expecting: 'riskCheck' }).answer).toBe(answer);
  });

  it.each([
    ['en-GB', 'id rather not say'],
    ['en-GB', 'prefer not to say'],
    ['cy', 'gwell gen i beidio deud'],
    ['cy', 'sa i moyn siarad am y peth'],
    ['pl', 'wolę nie mówić'],
    ['pl', 'nie chce o tym gadać'],
  ] as const)('asked about their life, in %s, reads a refusal to say ("%s") as unsure, so it is followed up, not taken as a no', (locale, text) => {
    expect(understander.understand(text, { locale, expecting: 'riskCheck' }).answer).toBe('unsure');
  });

  it.each([
    ['en-GB', 'no... well sometimes. when im alone at night'],
    ['cy', 'na... wel, weithia. pan dwi ar ben fy hun yn y nos'],
    ['pl', 'nie, no czasem tak'],
  ] as const)('asked about their life, in %s, reads a no taken back ("%s") as unsure, so it is followed up', (locale, text) => {
    expect(understander.understand(text, { locale, expecting: 'riskCheck' }).answer).toBe('unsure');
  });

  it('gives crisis contacts beside a danger the classifier hears, when it also hears a hint of crisis', () => {
    const u = en('The idea of ending things keeps coming back. I have a good life on paper. 57, retired teacher.');
    expect(u.danger).toBe(true);
    expect(u.risk).toBe('thoughts');
  });

  it('recognises another language\'s crisis phrase whatever the conversation\'s language', () => {
    expect(understander.understand('dw i eisiau marw', { locale: 'en-GB' }).risk).toBeDefined();
    expect(understander.understand('chce umrzec', { locale: 'en-GB' }).risk).toBeDefined();
    expect(understander.understand('i want to kill myself', { locale: 'pl' }).risk).toBeDefined();
  });
});

describe('facts', () => {
  it.each([
    ['im 15', { age: 15, ageGroup: 'under18' }],
    ["I'm seventeen", { age: 17, ageGroup: 'under18' }],
    ['17 and a half', { age: 17 }],
    ['nearly 18', { age: 17 }],
    ['im in year 9', { ageGroup: 'under18' }],
    ['prefer not to say', { ageGroup: 'declined' }],
    ['fifteen why does that matter', { age: 15, ageGroup: 'under18' }],
    ['my son is 14', { age: 14, writer: 'parent' }],
  ] as const)('reads the age in "%s"', (text, facts) => {
    expect(en(text, 'age').facts).toMatchObject(facts);
  });

  it('reads payment, its method and whether they paid', () => {
    expect(en('i sent him a steam gift card').facts).toMatchObject({ paid: true, payMethod: 'giftCard' });
    expect(en('no i havent paid anything').facts).toMatchObject({ paid: false });
    expect(en('he wants 500 in bitcoin').facts).toMatchObject({ demand: 'money', payMethod: 'crypto' });
  });

  it('reads who it is, what they want and what happened to the images', () => {
    expect(en('my ex says hell post them unless i get back with him').facts).toMatchObject({ who: 'partner', demand: 'relationship' });
    expect(en('he already posted them on snapchat').facts).toMatchObject({ images: 'shared', platform: 'snapchat' });
    expect(en('got an email saying they hacked my webcam and know my old password').facts).toMatchObject({ images: 'none' });
    expect(en('he gave me until midnight').facts).toMatchObject({ deadline: true });
  });

  it('reads an age given as a number on its own between commas or full stops, and not a list of sums or a time', () => {
    expect(en('17, my boyfriend has pics and says he will post them').facts.age).toBe(17);
    expect(en('he wants more every week. 15. what do i do').facts.age).toBe(15);
    expect(en('fifteen. a guy on snap has my pics').facts.age).toBe(15);
    expect(en('he wants 50. i paid 20, 30, 40 already').facts.age).toBeUndefined();
    expect(en('its 9.30 and he wants £1,000. help').facts.age).toBeUndefined();
    expect(en('i paid. 50', 'paid').facts.age).toBeUndefined();
  });

  it('reads an adult age given as a number on its own at the end, unless the message names money or ends a list', () => {
    expect(en('gave in and paid. 21').facts.age).toBe(21);
    expect(en('someone i work with says my pics go to hr. not paid. 27').facts.age).toBe(27);
    expect(en('he wants £50 by tonight. 30').facts.age).toBeUndefined();
    expect(en('he wants more. i paid 20, 30, 40').facts.age).toBeUndefined();
  });

  it('does not mistake money or a time for an age', () => {
    expect(en('he wants £15').facts.age).toBeUndefined();
    expect(en('he gave me 15 minutes').facts.age).toBeUndefined();
  });
});

describe('questions, commands and social turns', () => {
  it.each([
    ['will i get in trouble for sending nudes', 'trouble'],
    ['will my parents find out', 'parentsFindOut'],
    ['is this anonymous', 'privacy'],
    ['are you a bot', 'isBot'],
    ['how do i report him on snapchat', 'platformHelp'],
    ['can i get my money back', 'moneyBack'],
    ['i already blocked him is that bad', 'alreadyBlocked'],
    ['should i pay', 'shouldPay'],
    ['my bike got stolen', 'otherCrime'],
  ] as const)('recognises "%s" as the %s question', (text, question) => {
    expect(en(text).question).toBe(question);
  });

  it.each([
    ['menu', 'menu'], ['talk to a real person', 'human'], ['delete my data', 'deleteData'], ['cancel', 'cancel'], ['clear this chat', 'clearChat'],
  ] as const)('recognises the command "%s"', (text, command) => {
    expect(en(text).command).toBe(command);
  });

  it.each([
    ['en-GB', ['clear this chat', 'delete this chat', 'hide this', 'hide this chat', 'my mum is coming', 'mums coming', 'my dad is coming in', 'get rid of this chat', 'quick exit', 'delete these messages']],
    ['cy', ['dileu y sgwrs hon', 'clirio r sgwrs', 'cuddia hwn', 'cuddio hwn', 'mae mam yn dod', 'mae fy mam yn dod', 'mae dad yn dod', 'dilea hwn']],
    ['pl', ['wyczyść czat', 'usuń ten czat', 'skasuj rozmowę', 'usuń historię czatu', 'ukryj to', 'schowaj to', 'mama idzie', 'mama przyszła', 'rodzice patrzą', 'moja mama wraca do domu', 'mama idzie, usuń to']],
  ] as const)('recognises the ways people ask to clear the chat in %s', (locale, texts) => {
    for (const text of texts) expect(understander.understand(text, { locale }).command, text).toBe('clearChat');
  });

  it('keeps "delete my data" apart from clearing the chat, and never takes danger at home for it', () => {
    expect(understander.understand('usuń moje dane', { locale: 'pl' }).command).toBe('deleteData');
    expect(understander.understand('zapomnij o mnie', { locale: 'pl' }).command).toBe('deleteData');
    const danger = understander.understand('tata przyszedł i mnie bije', { locale: 'pl' });
    expect(danger.danger).toBe(true);
    expect(danger.command).toBeUndefined();
  });

  it('switches language when asked in any language', () => {
    expect(en('can we speak welsh').switchTo).toBe('cy');
    expect(en('po polsku prosze').switchTo).toBe('pl');
  });

  it.each([['thanks', 'thanks'], ['ok', 'ok'], ['bye', 'bye'], ['hello?', 'greeting'], ['are you there', 'areYouThere'], ['i feel a bit better', 'better'], ['ur useless', 'abuse']] as const)(
    'recognises "%s" as a social turn (%s)',
    (text, social) => {
      expect(en(text).social).toBe(social);
    },
  );
});

describe('language from the text', () => {
  it('tells Welsh, Polish and English apart in a sentence, and says nothing for a word or two', () => {
    expect(en('mae rhywun yn bygwth rhannu lluniau ohona i').language).toBe('cy');
    expect(en('ktos grozi ze wrzuci moje zdjecia do internetu').language).toBe('pl');
    expect(understander.understand('someone is threatening to share my pictures', { locale: 'pl' }).language).toBe('en-GB');
    expect(en('ok').language).toBeUndefined();
    expect(en('15').language).toBeUndefined();
  });

  it('reads the message with the rules of the language it is written in', () => {
    expect(understander.understand('czy moge odzyskac pieniadze', { locale: 'en-GB' }).question).toBe('moneyBack');
  });
});

describe('long messages', () => {
  it('still finds crisis at the end of the longest message a platform allows (X: 10,000 characters)', () => {
    const text = `${'blah '.repeat(1995)}i want to kill myself`;
    expect(text.length).toBeGreaterThan(9_990);
    expect(en(text).risk).toBeDefined();
  });
});
