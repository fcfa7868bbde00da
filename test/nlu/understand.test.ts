import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LexiconError, UNDERSTANDING_FILE, loadLexicons } from '../../src/nlu/lexicon.js';
import { createUnderstander, type Understander } from '../../src/nlu/understand.js';

const LOCALES = join(import.meta.dirname, '..', '..', 'locales');
const understander = createUnderstander({ lexicons: loadLexicons(LOCALES) });
const en = (text: string) => understander.understand(text, 'en-GB');

describe('createUnderstander', () => {
  it('lists the locales it has data for', () => {
    expect(understander.locales).toContain('en-GB');
  });

  it('refuses to start without data for the fallback locale', () => {
    expect(() => createUnderstander({ lexicons: [] })).toThrow(LexiconError);
  });

  it('understands nothing in empty or emoji-only text', () => {
    for (const text of ['', '   ', '😭😭🙏']) {
      expect(en(text)).toEqual({ crisis: false, danger: false, matched: [], yes: false, no: false, knownPerson: false, topics: [] });
    }
  });

  it('reports crisis with the ids of the entries that matched, never the text', () => {
    const u = en('im gonna kms tonight');
    expect(u.crisis).toBe(true);
    expect(u.matched).toContain('crisis.kill-myself');
    expect(u.matched.join(' ')).not.toContain('gonna');
  });

  it('reports crisis and danger together', () => {
    const u = en("he's outside my house and i want to die");
    expect(u.crisis).toBe(true);
    expect(u.danger).toBe(true);
  });

  it('does not treat the blackmail threat itself as danger', () => {
    expect(en("he'll send my pics to my mum").danger).toBe(false);
    expect(en('he says he will post them everywhere').danger).toBe(false);
  });
});

describe('age', () => {
  const ages: [string, number][] = [
    ['im 15', 15],
    ["I'm seventeen", 17],
    ['15 y/o', 15],
    ['15yo', 15],
    ['age 15', 15],
    ['i am 15 years old', 15],
    ['16 yrs', 16],
    ['just turned 16', 16],
    ['i just turned sixteen', 16],
    ['14', 14],
    ['15 years', 15],
    ['Im 14 and hes 25', 14],
    ['hes 25 and im 14', 14],
    ['i am twenty one', 21],
    ['15 year old boy here', 15],
    ['aged 13', 13],
  ];
  it.each(ages)('reads "%s" as %i', (text, age) => {
    expect(en(text).age).toBe(age);
  });

  const notAges = [
    '£500',
    '500 pounds',
    '$50',
    '50 quid',
    '£15',
    'at 15:00',
    '15:00',
    "he's 25",
    'he is 25 years old',
    'hes a 30 year old man',
    'he just turned 30',
    '07700 900123',
    '+44 7700 900123',
    'i am 5 minutes away',
    'i am 20 quid short',
    '150',
    '5',
    'he gave me 24 hours',
  ];
  it.each(notAges)('does not read "%s" as an age', (text) => {
    expect(en(text).age).toBeUndefined();
  });

  it('reads clear age groups without a number', () => {
    expect(en("I'm under 18").ageGroup).toBe('under18');
    expect(en('im a minor').ageGroup).toBe('under18');
    expect(en('im in year 10').ageGroup).toBe('under18');
    expect(en("I'm an adult").ageGroup).toBe('adult');
    expect(en('im over 18').ageGroup).toBe('adult');
    expect(en('over 18').ageGroup).toBe('adult');
  });

  it('leaves the age group unset when it is not clear', () => {
    expect(en('is it illegal if he is over 18').ageGroup).toBeUndefined();
    expect(en('i am still at school').ageGroup).toBeUndefined();
    expect(en('im 15').ageGroup).toBeUndefined();
    expect(en('im 15 not an adult, i am over 18 in my head').ageGroup).toBeUndefined();
  });
});

describe('paid', () => {
  it.each(['I paid', "I've already paid him", 'sent him £200', 'I gave them gift cards', 'sent bitcoin', 'i payed him 50 quid', 'they took £100 off me'])(
    'reads "%s" as paid',
    (text) => {
      expect(en(text).paid).toBe(true);
    },
  );

  it.each(["I haven't paid", 'didnt pay', 'not paid yet', 'no i havent paid', "I'm not going to pay him", 'never paid'])(
    'reads "%s" as not paid',
    (text) => {
      expect(en(text).paid).toBe(false);
    },
  );

  it.each(['should I pay?', 'what if i paid him', 'he wants me to send him £500', 'he said send £200 or else', 'should i have paid'])(
    'does not read "%s" as a statement about paying',
    (text) => {
      expect(en(text).paid).toBeUndefined();
    },
  );

  it('gives the paying topic for a question about paying', () => {
    expect(en('should I pay?').topics).toEqual(['paying']);
  });
});

describe('yes and no', () => {
  it.each(['yes', 'Yeah', 'yep!!', 'yesss', 'ok', 'yes please', 'yeah i did'])('reads "%s" as yes', (text) => {
    expect(en(text)).toMatchObject({ yes: true, no: false });
  });
  it.each(['no', 'nope', 'Nah', 'noooo', 'not yet', 'no i havent paid'])('reads "%s" as no', (text) => {
    expect(en(text)).toMatchObject({ no: true, yes: false });
  });
  it.each(['no one can help me', 'i have no idea', 'yesterday he messaged', 'i know'])('reads "%s" as neither', (text) => {
    expect(en(text)).toMatchObject({ yes: false, no: false });
  });
});

describe('commands', () => {
  const commands = [
    ['menu', 'menu'],
    ['Main menu', 'menu'],
    ['help', 'help'],
    ['can i talk to a real person', 'human'],
    ['I want to speak to someone', 'human'],
    ['change language', 'language'],
    ['delete my data', 'delete'],
    ['please forget me', 'delete'],
    ['cancel', 'cancel'],
    ['stop', 'cancel'],
  ] as const;
  it.each(commands)('reads "%s" as the %s command', (text, command) => {
    expect(en(text).command).toBe(command);
  });

  it.each(['should i delete the messages', 'i want him to stop', 'he wont stop messaging me', 'what is the menu at school'])(
    'does not read "%s" as a command',
    (text) => {
      expect(en(text).command).toBeUndefined();
    },
  );
});

describe('language names', () => {
  const names = [
    ['Cymraeg', 'cy'],
    ['welsh please', 'cy'],
    ['can we speak in welsh', 'cy'],
    ['Polski', 'pl'],
    ['po polsku', 'pl'],
    ['polish', 'pl'],
    ['English', 'en-GB'],
    ['saesneg', 'en-GB'],
    ['angielski', 'en-GB'],
    ['do you speak english', 'en-GB'],
  ] as const;
  it.each(names)('reads "%s" as %s', (text, code) => {
    expect(en(text).language).toBe(code);
  });

  it('ignores a language mentioned in passing', () => {
    expect(en('my mum is polish').language).toBeUndefined();
    expect(en('he sent it to my welsh teacher').language).toBeUndefined();
  });
});

describe('topics and known person', () => {
  const topics = [
    ['how do I block him', 'blocking'],
    ['should i delete my account', 'deleting'],
    ['how do i save evidence', 'evidence'],
    ['should i screenshot the chat', 'evidence'],
    ['how do i report him', 'reporting'],
    ['should i tell the police', 'reporting'],
    ['how do i get the pics taken down', 'takedown'],
    ['is this a crime', 'crime'],
    ['will i get in trouble', 'crime'],
    ['what is sextortion', 'sextortion'],
    ['i got scammed on insta', 'sextortion'],
    ['who can i talk to', 'whoToCall'],
    ['whats the number for childline', 'whoToCall'],
    ['should I pay', 'paying'],
    ['he wants £500 in 24 hours', 'paying'],
  ] as const;
  it.each(topics)('finds the topic of "%s": %s', (text, topic) => {
    expect(en(text).topics[0]).toBe(topic);
  });

  it('orders several topics by where they appear', () => {
    expect(en('how do i block him and should i report it').topics).toEqual(['blocking', 'reporting']);
    expect(en('should i report it and how do i block him').topics).toEqual(['reporting', 'blocking']);
  });

  it('finds no topic in a feeling', () => {
    expect(en('I feel so stupid').topics).toEqual([]);
  });

  it.each(["it's my ex", 'someone from my school', 'i know who it is', 'my ex boyfriend has them'])('reads "%s" as a known person', (text) => {
    expect(en(text).knownPerson).toBe(true);
  });
  it.each(["i dont know who it is", 'i dont know him', 'someone i met online'])('reads "%s" as not a known person', (text) => {
    expect(en(text).knownPerson).toBe(false);
  });
});

describe('several locales', () => {
  let dir: string;
  let both: Understander;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nlu-locales-'));
    mkdirSync(join(dir, 'en-GB'));
    copyFileSync(join(LOCALES, 'en-GB', UNDERSTANDING_FILE), join(dir, 'en-GB', UNDERSTANDING_FILE));
    mkdirSync(join(dir, 'xx'));
    writeFileSync(
      join(dir, 'xx', UNDERSTANDING_FILE),
      JSON.stringify({
        replacements: { zorb: 'vlem dorra' },
        crisis: [{ id: 'crisis.vlem-dorra', pattern: '\\bvlem dorra\\b' }],
        danger: [{ id: 'danger.kreth', phrases: ['kreth ulna'] }],
        yes: ['jawa'],
      }),
    );
    both = createUnderstander({ lexicons: loadLexicons(dir) });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('recognises the other language\'s crisis phrase while the conversation is in English', () => {
    const u = both.understand('Vlem dorra!!', 'en-GB');
    expect(u.crisis).toBe(true);
    expect(u.matched).toEqual(['xx:crisis.vlem-dorra']);
  });

  it('applies the other language\'s own replacements when looking for its crisis phrases', () => {
    expect(both.understand('zorb', 'en-GB').crisis).toBe(true);
  });

  it('recognises an English crisis phrase while the conversation is in the other language', () => {
    const u = both.understand('i wanna die', 'xx');
    expect(u.crisis).toBe(true);
    expect(u.matched).toEqual(['en-GB:crisis.want-to-die']);
    expect(both.understand('kreth ulna', 'en-GB').danger).toBe(true);
    expect(both.understand('hes outside my house', 'xx').danger).toBe(true);
  });

  it('uses only the conversation\'s language for everything else', () => {
    expect(both.understand('jawa', 'xx').yes).toBe(true);
    expect(both.understand('jawa', 'en-GB').yes).toBe(false);
    expect(both.understand('yes', 'xx').yes).toBe(false);
  });

  it('falls back to en-GB for a locale without data, and matches a locale by language', () => {
    expect(both.understand('yes', 'fr').yes).toBe(true);
    expect(both.understand('jawa', 'XX').yes).toBe(true);
    expect(both.locales).toEqual(['en-GB', 'xx']);
  });
});

describe('long messages', () => {
  it('still finds crisis at the end of the longest message a platform allows (X: 10,000 characters)', () => {
    const filler = 'he keeps messaging me and i do not know what to do '.repeat(200).slice(0, 9_980);
    const u = en(`${filler} i want to die`);
    expect(u.crisis).toBe(true);
    expect(u.topics).toContain('blocking');
  });
});
