import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileLexicon, loadLexicons } from '../../src/nlu/lexicon.js';
import { createUnderstander } from '../../src/nlu/understand.js';

const LOCALES = join(import.meta.dirname, '..', '..', 'locales');
const understander = createUnderstander({ lexicons: loadLexicons(LOCALES) });
const pl = (text: string) => understander.understand(text, 'pl');
const en = (text: string) => understander.understand(text, 'en-GB');

describe('Polish understanding data', () => {
  it('loads as the pl lexicon', () => {
    const data: unknown = JSON.parse(readFileSync(join(LOCALES, 'pl', 'understanding.json'), 'utf8'));
    expect(compileLexicon('pl', data).locale).toBe('pl');
    expect(understander.locales).toContain('pl');
  });

  it('finds Polish crisis words in an English conversation, and English ones in a Polish conversation', () => {
    expect(en('chce umrzec').matched).toContain('pl:crisis.chce-umrzec');
    expect(pl('i want to die').matched).toContain('en-GB:crisis.want-to-die');
    expect(pl('chcę się zabić').matched).toContain('crisis.zabic-sie');
  });

  it('understands typing without diacritics, text-speak and common misspellings alike', () => {
    for (const text of ['Chcę umrzeć', 'chce umrzec', 'hce umżeć', 'CHCE UMRZEĆĆĆ']) expect(pl(text).crisis).toBe(true);
    for (const text of ['zrobie sb krzywde', 'niechce juz rzyc', 'mam mysli samobujcze']) expect(pl(text).crisis).toBe(true);
  });

  it('does not treat the blackmail threat itself, or figures of speech, as danger or crisis', () => {
    for (const text of ['grozi że wyśle moje zdjęcia rodzicom', 'napisał że wrzuci to wszędzie', 'mama mnie zabije jak się dowie', 'umieram ze wstydu', 'telefon mi się tnie']) {
      expect(pl(text), text).toMatchObject({ crisis: false, danger: false });
    }
  });

  it('does not read a calm answer to the safety question as danger', () => {
    for (const text of ['nic mi nie grozi', 'nie jestem w niebezpieczeństwie', 'tak, jestem bezpieczny']) {
      expect(pl(text), text).toMatchObject({ crisis: false, danger: false });
    }
  });
});

describe('age in Polish', () => {
  const ages: [string, number][] = [
    ['mam 15 lat', 15],
    ['mam 15', 15],
    ['Mam piętnaście lat', 15],
    ['mam szesnascie', 16],
    ['15 lat', 15],
    ['15', 15],
    ['lat 14', 14],
    ['mam lat 14', 14],
    ['skonczylem 16', 16],
    ['właśnie skończyłam 16 lat', 16],
    ['jestem 15-latkiem', 15],
    ['15latka', 15],
    ['wiek 13', 13],
    ['mam 14 a on 25', 14],
    ['on ma 25 a ja 14', 14],
    ['on ma 25 lat a ja mam 14', 14],
    ['mam dwadzieścia jeden lat', 21],
    ['im 15', 15],
    ['mam 17 lat i juz mu zaplacilem', 17],
    ['Mam 18+ lat', 18],
  ];
  it.each(ages)('reads "%s" as %i', (text, age) => {
    expect(pl(text).age).toBe(age);
  });

  const notAges = [
    '500 zł',
    'mam 500 zl',
    'mam 50 funtow',
    '£50',
    'o 15:00',
    '15:00',
    'on ma 25 lat',
    'jest 25 letnim facetem',
    'ma 30',
    'dal mi 24 godziny',
    'mam 24 godziny',
    '07700 900123',
    'mam 5 minut',
    '150',
    '5',
    'mam 20 zdjec',
    'mam mniej niz 18 lat',
  ];
  it.each(notAges)('does not read "%s" as an age', (text) => {
    expect(pl(text).age).toBeUndefined();
  });

  it('reads clear age groups without a number', () => {
    expect(pl('mam mniej niż 18 lat').ageGroup).toBe('under18');
    expect(pl('jestem niepełnoletni').ageGroup).toBe('under18');
    expect(pl('nie mam jeszcze 18').ageGroup).toBe('under18');
    expect(pl('chodze do 8 klasy').ageGroup).toBe('under18');
    expect(pl('nie jestem dorosły').ageGroup).toBe('under18');
    expect(pl('jestem dorosły').ageGroup).toBe('adult');
    expect(pl('jestem pełnoletnia').ageGroup).toBe('adult');
    expect(pl('mam ponad 18').ageGroup).toBe('adult');
  });

  it('leaves the age group unset when it is not clear', () => {
    expect(pl('czy to legalne jeśli on ma ponad 18').ageGroup).toBeUndefined();
    expect(pl('chodzę do szkoły').ageGroup).toBeUndefined();
    expect(pl('mam 15 lat').ageGroup).toBeUndefined();
  });
});

describe('paid in Polish', () => {
  it.each(['zapłaciłem', 'już mu zapłaciłam', 'wyslalem mu 200 funtow', 'dałem mu kasę', 'kupilem mu karty na steam', 'wysłałem blika', 'przelałam mu 100 zł', 'dostał ode mnie 100 funtów'])(
    'reads "%s" as paid',
    (text) => {
      expect(pl(text).paid).toBe(true);
    },
  );

  it.each(['nie zapłaciłem', 'nie zaplacilam jeszcze', 'jeszcze nie placilem', 'nic mu nie wyslalem', 'nie zamierzam mu placic', 'nie, nie placilem', 'nic nie dostali'])(
    'reads "%s" as not paid',
    (text) => {
      expect(pl(text).paid).toBe(false);
    },
  );

  it.each(['czy mam zapłacić?', 'a co jeśli zapłacę', 'chce żebym mu wysłał 500 funtów', 'każe mi zapłacić 200 zł', 'gdybym zapłacił to by przestał?'])(
    'does not read "%s" as a statement about paying',
    (text) => {
      expect(pl(text).paid).toBeUndefined();
    },
  );

  it('gives the paying topic for a question about paying', () => {
    expect(pl('czy mam zapłacić?').topics).toEqual(['paying']);
  });
});

describe('yes and no in Polish', () => {
  it.each(['tak', 'Tak!', 'takkk', 'ok', 'okej', 'spoko', 'jasne', 'no tak', 'tak prosze', 'tak, zaplacilem', 'yes', 'tak już'])('reads "%s" as yes', (text) => {
    expect(pl(text)).toMatchObject({ yes: true, no: false });
  });
  it.each(['nie', 'Nie.', 'nieee', 'nope', 'jeszcze nie', 'nie dzięki', 'no nie', 'raczej nie', 'nie, nie placilem'])('reads "%s" as no', (text) => {
    expect(pl(text)).toMatchObject({ no: true, yes: false });
  });
  it.each(['nie wiem', 'nikt mi nie pomoże', 'tak bardzo się boję', 'tak mi wstyd', 'no', 'nie ma nikogo', 'wczoraj do mnie napisał'])('reads "%s" as neither', (text) => {
    expect(pl(text)).toMatchObject({ yes: false, no: false });
  });
});

describe('commands in Polish', () => {
  const commands = [
    ['menu', 'menu'],
    ['menu główne', 'menu'],
    ['wróć do menu', 'menu'],
    ['zacznij od nowa', 'menu'],
    ['pomoc', 'help'],
    ['jak to działa', 'help'],
    ['chcę porozmawiać z człowiekiem', 'human'],
    ['Rozmowa z człowiekiem', 'human'],
    ['czy mogę pogadać z kimś prawdziwym', 'human'],
    ['zmień język', 'language'],
    ['Język', 'language'],
    ['usuń moje dane', 'delete'],
    ['skasuj wszystko o mnie', 'delete'],
    ['zapomnij o mnie', 'delete'],
    ['anuluj', 'cancel'],
    ['stop', 'cancel'],
    ['koniec', 'cancel'],
  ] as const;
  it.each(commands)('reads "%s" as the %s command', (text, command) => {
    expect(pl(text).command).toBe(command);
  });

  it.each(['czy mam usunąć wiadomości', 'chce żeby przestał', 'on nie przestaje pisać', 'jak usunąć konto na insta', 'nie chce z nim gadać'])(
    'does not read "%s" as a command',
    (text) => {
      expect(pl(text).command).toBeUndefined();
    },
  );
});

describe('language names in Polish', () => {
  const names = [
    ['Polski', 'pl'],
    ['po polsku', 'pl'],
    ['po polsku prosze', 'pl'],
    ['polish', 'pl'],
    ['w języku polskim', 'pl'],
    ['English', 'en-GB'],
    ['angielski', 'en-GB'],
    ['po angielsku proszę', 'en-GB'],
    ['możesz pisać po angielsku?', 'en-GB'],
    ['przejdź na angielski', 'en-GB'],
    ['switch to english', 'en-GB'],
    ['Cymraeg', 'cy'],
    ['walijski', 'cy'],
    ['welsh', 'cy'],
  ] as const;
  it.each(names)('reads "%s" as %s', (text, code) => {
    expect(pl(text).language).toBe(code);
  });

  it('ignores a language mentioned in passing', () => {
    expect(pl('moja mama jest polką').language).toBeUndefined();
    expect(pl('mam angielski jutro w szkole').language).toBeUndefined();
    expect(pl('napisał do mnie po angielsku').language).toBeUndefined();
  });
});

describe('topics and known person in Polish', () => {
  const topics = [
    ['jak go zablokować', 'blocking'],
    ['czy mam usunąć konto', 'deleting'],
    ['jak zapisać dowody', 'evidence'],
    ['czy mam zrobić screeny', 'evidence'],
    ['jak to zgłosić', 'reporting'],
    ['czy mam iść na policję', 'reporting'],
    ['jak usunąć zdjęcia z internetu', 'takedown'],
    ['czy to przestępstwo', 'crime'],
    ['czy będę mieć problemy', 'crime'],
    ['co to jest sekstorsja', 'sextortion'],
    ['on mnie szantażuje', 'sextortion'],
    ['do kogo mogę zadzwonić', 'whoToCall'],
    ['jaki jest numer do childline', 'whoToCall'],
    ['czy mam zapłacić', 'paying'],
    ['chce 500 funtów w 24 godziny', 'paying'],
  ] as const;
  it.each(topics)('finds the topic of "%s": %s', (text, topic) => {
    expect(pl(text).topics[0]).toBe(topic);
  });

  it('finds the topic of every Polish topic button label typed as text', () => {
    const messages = JSON.parse(readFileSync(join(LOCALES, 'pl', 'messages.json'), 'utf8')) as { choice: { topic: Record<string, string> } };
    for (const [topic, label] of Object.entries(messages.choice.topic)) expect(pl(label).topics, label).toContain(topic);
  });

  it('orders several topics by where they appear', () => {
    expect(pl('jak go zablokować i czy mam to zgłosić').topics).toEqual(['blocking', 'reporting']);
    expect(pl('czy mam to zgłosić i jak go zablokować').topics).toEqual(['reporting', 'blocking']);
  });

  it('finds no topic in a feeling', () => {
    expect(pl('czuję się taki głupi').topics).toEqual([]);
  });

  it.each(['to mój ex', 'to ktoś z mojej szkoły', 'wiem kto to', 'mój były chłopak ma te zdjęcia', 'znam go z realu', 'to mój kolega z klasy'])(
    'reads "%s" as a known person',
    (text) => {
      expect(pl(text).knownPerson).toBe(true);
    },
  );
  it.each(['nie wiem kto to', 'nie znam go', 'ktoś kogo poznałem w necie', 'znam go tylko z insta'])('reads "%s" as not a known person', (text) => {
    expect(pl(text).knownPerson).toBe(false);
  });
});
