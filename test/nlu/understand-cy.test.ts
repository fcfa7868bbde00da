import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLexicons } from '../../src/nlu/lexicon.js';
import { createUnderstander } from '../../src/nlu/understand.js';

const understander = createUnderstander({ lexicons: loadLexicons(join(import.meta.dirname, '..', '..', 'locales')) });
const cy = (text: string) => understander.understand(text, 'cy');

describe('Welsh yes and no', () => {
  it.each(['ie', 'Ia', 'ydw', 'yndw', 'do', 'Do!!', 'oes', 'iawn', 'ok', 'ie plis', 'do, nes i', 'yeah'])('reads "%s" as yes', (text) => {
    expect(cy(text)).toMatchObject({ yes: true, no: false });
  });
  it.each(['na', 'Naddo', 'nac ydw', "nag ydw", 'nac oes', 'dim eto', 'naaa', 'na, dwi heb dalu', 'nope'])('reads "%s" as no', (text) => {
    expect(cy(text)).toMatchObject({ no: true, yes: false });
  });
  it.each(['na i rywbeth', 'does neb yn gallu helpu', 'dim syniad', 'dolig'])('reads "%s" as neither or not as yes', (text) => {
    expect(cy(text).yes).toBe(false);
  });
});

describe('Welsh ages', () => {
  const ages: [string, number][] = [
    ["dwi'n 15", 15],
    ['dw i yn 14', 14],
    ["rwy'n 16 oed", 16],
    ["fi'n 13", 13],
    ["Dwi'n bymtheg oed", 15],
    ["dwi'n un ar bymtheg", 16],
    ["dwi'n ddeuddeg", 12],
    ["dwi'n dair ar ddeg oed", 13],
    ["dwi'n bedwar ar ddeg", 14],
    ["dwi'n un deg saith", 17],
    ["dwi'n ugain oed", 20],
    ["dwi'n ddau ddeg pump", 25],
    ['14 ydw i', 14],
    ['dim ond 14 ydw i', 14],
    ["dwi newydd droi'n 16", 16],
    ['15 oed', 15],
    ['15', 15],
    ['oed 17', 17],
    ["dwi'n 14 a mae o'n 25", 14],
    ["mae o'n 25 a dwi'n 14", 14],
  ];
  it.each(ages)('reads "%s" as %i', (text, age) => {
    expect(cy(text).age).toBe(age);
  });

  it.each(["mae o'n 25", "mae e'n 30 oed", 'dyn 30 oed oedd o', "mae o newydd droi'n 30", '£15', '15 punt', 'am 15:00', "dwi'n 5 munud i ffwrdd", "dwi'n 20 punt yn fyr", '07700 900123'])(
    'does not read "%s" as the person\'s age',
    (text) => {
      expect(cy(text).age).toBeUndefined();
    },
  );

  it('reads clear age groups without a number', () => {
    expect(cy('dwi dan 18').ageGroup).toBe('under18');
    expect(cy("dwi'n blentyn").ageGroup).toBe('under18');
    expect(cy("dw i ddim yn 18 eto").ageGroup).toBe('under18');
    expect(cy("dwi ym mlwyddyn 10").ageGroup).toBe('under18');
    expect(cy("dwi'n oedolyn").ageGroup).toBe('adult');
    expect(cy('dwi dros 18').ageGroup).toBe('adult');
    expect(cy("dwi ddim yn oedolyn").ageGroup).toBe('under18');
    expect(cy("dwi'n 17 a mae o'n oedolyn").ageGroup).toBeUndefined();
  });
});

describe('Welsh paid and not paid', () => {
  it.each(["dwi wedi talu", "dwi di talu'n barod", 'nes i dalu £50', 'dales i £100', "nes i yrru £200 iddo fo", 'dwi wedi anfon bitcoin', 'nes i roi gift cards iddyn nhw'])(
    'reads "%s" as paid',
    (text) => {
      expect(cy(text).paid).toBe(true);
    },
  );
  it.each(['dwi heb dalu', 'nes i ddim talu', "dwi ddim wedi talu", 'sa i wedi talu', 'dales i ddim byd', "dwi ddim yn mynd i dalu", 'dwi heb dalu eto', 'dwi wedi gwrthod talu'])(
    'reads "%s" as not paid',
    (text) => {
      expect(cy(text).paid).toBe(false);
    },
  );
  it.each(['ddylwn i dalu?', 'mae o isio i fi dalu £500', 'be os dwi ddim yn talu', 'dylwn i fod wedi talu?'])(
    'does not read "%s" as a statement that they paid',
    (text) => {
      expect(cy(text).paid).not.toBe(true);
    },
  );
});

describe('Welsh commands', () => {
  const commands = [
    ['dewislen', 'menu'],
    ['Y Ddewislen', 'menu'],
    ['menu', 'menu'],
    ['dechrau eto', 'menu'],
    ['help', 'help'],
    ['helpa fi', 'help'],
    ['siarad â pherson', 'human'],
    ["dwi isio siarad efo rhywun go iawn", 'human'],
    ['iaith', 'language'],
    ['newid iaith', 'language'],
    ['dileu fy nata', 'delete'],
    ["Dilëa fy nata plis", 'delete'],
    ['anghofia fi', 'delete'],
    ['canslo', 'cancel'],
    ['stopio', 'cancel'],
    ['gadael y ciw', 'cancel'],
  ] as const;
  it.each(commands)('reads "%s" as the %s command', (text, command) => {
    expect(cy(text).command).toBe(command);
  });

  it.each(['ddylwn i ddileu y negeseuon', 'dwi isio iddo fo stopio', 'dydy o ddim yn stopio anfon negeseuon', "mae'r ddewislen ginio'n dda"])(
    'does not read "%s" as a command',
    (text) => {
      expect(cy(text).command).toBeUndefined();
    },
  );
});

describe('Welsh language names', () => {
  const names = [
    ['Cymraeg', 'cy'],
    ['yn Gymraeg plis', 'cy'],
    ['welsh', 'cy'],
    ['Saesneg', 'en-GB'],
    ['Saesneg plis', 'en-GB'],
    ['english', 'en-GB'],
    ['ga i siarad Saesneg', 'en-GB'],
    ['newid i Saesneg', 'en-GB'],
    ['Pwyleg', 'pl'],
    ['yn Bwyleg', 'pl'],
    ['polski', 'pl'],
    ['polish', 'pl'],
  ] as const;
  it.each(names)('reads "%s" as %s', (text, code) => {
    expect(cy(text).language).toBe(code);
  });

  it('ignores a language mentioned in passing', () => {
    expect(cy("mae mam yn siarad Pwyleg efo fi").language).toBeUndefined();
    expect(cy("nath o yrru'r llun i fy athro Cymraeg").language).toBeUndefined();
  });
});

describe('Welsh topics and known person', () => {
  const topics = [
    ['sut dwi\'n blocio fo', 'blocking'],
    ['mae o\'n dal i anfon negeseuon', 'blocking'],
    ['ddylwn i ddileu fy nghyfrif', 'deleting'],
    ['sut dw i\'n cadw tystiolaeth?', 'evidence'],
    ['ddylwn i gymryd screenshots', 'evidence'],
    ['sut dwi\'n riportio fo', 'reporting'],
    ['ddylwn i ddweud wrth yr heddlu', 'reporting'],
    ['sut dwi\'n cael y lluniau wedi\'u tynnu i lawr', 'takedown'],
    ['ydy hyn yn drosedd', 'crime'],
    ['ydw i mewn trwbl', 'crime'],
    ['be ydi sextortion', 'sextortion'],
    ['ges i fy sgamio ar insta', 'sextortion'],
    ['pwy alla i ffonio', 'whoToCall'],
    ['beth ydi rhif ffôn Childline', 'whoToCall'],
    ['ddylwn i dalu', 'paying'],
    ['mae o isio £500 mewn 24 awr', 'paying'],
  ] as const;
  it.each(topics)('finds the topic of "%s": %s', (text, topic) => {
    expect(cy(text).topics[0]).toBe(topic);
  });

  it('orders several topics by where they appear', () => {
    expect(cy('sut dwi\'n blocio fo a ddylwn i riportio fo').topics).toEqual(['blocking', 'reporting']);
  });

  it('finds no topic in a feeling', () => {
    expect(cy("dwi'n teimlo mor dwp").topics).toEqual([]);
  });

  it.each(['fy ex i ydi o', 'rhywun o\'r ysgol', "dwi'n gwybod pwy ydi o", 'fy nghyn-gariad sydd gyda nhw'])('reads "%s" as a known person', (text) => {
    expect(cy(text).knownPerson).toBe(true);
  });
  it.each(["dwi ddim yn gwybod pwy ydi o", 'dwi ddim yn ei nabod o', 'rhywun nes i gwrdd â ar-lein'])('reads "%s" as not a known person', (text) => {
    expect(cy(text).knownPerson).toBe(false);
  });
});

describe('Welsh risk in any conversation language', () => {
  it('reports a Welsh crisis phrase with the Welsh entry id while the conversation is in English', () => {
    const u = understander.understand("dwi'n mynd i ladd fy hun", 'en-GB');
    expect(u.crisis).toBe(true);
    expect(u.matched).toContain('cy:crisis.kill-myself');
  });

  it('still recognises an English crisis phrase while the conversation is in Welsh', () => {
    expect(cy('i want to die').crisis).toBe(true);
    expect(cy('hes outside my house').danger).toBe(true);
  });

  it('does not treat the blackmail threat itself as danger', () => {
    expect(cy("mae o'n bygwth rhannu'r lluniau efo fy ffrindiau").danger).toBe(false);
    expect(cy("mae mam yn mynd i fy lladd i").danger).toBe(false);
  });
});
