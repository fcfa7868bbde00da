import { flesch } from 'flesch';
import { syllable } from 'syllable';
import { describe, expect, it } from 'vitest';
import { createBotCore } from '../../src/app/bot-core.js';
import { readMessages } from '../support/locale-messages.js';

/**
 * Flesch reading ease of what a person actually reads (the rendered English,
 * with the force's details and national numbers filled in). 70-80 is "fairly
 * easy", the level of a 12-13-year-old; every message must reach 70.
 */
const MINIMUM = 70;

/**
 * The formula needs running text: on a handful of words one long word swings
 * it wildly ("OK. I haven't deleted anything." scores 35). Shorter messages
 * are listed in the report but not held to the bar.
 */
const MIN_WORDS = 12;

/** Counts sentences (list items and lines count as sentences), words and syllables. */
function readingEase(text: string): number {
  const prose = text.replace(/https?:\/\/\S+/g, 'link').replace(/\b[\w-]+(\.[\w-]+)+\b/g, 'site');
  const sentences = prose.split(/[.!?]+(?:\s|$)|\n+/).filter((s) => /\p{L}/u.test(s)).length;
  const words = prose.match(/\p{L}[\p{L}'’-]*/gu) ?? [];
  const syllables = words.reduce((n, w) => n + Math.max(1, syllable(w)), 0);
  return flesch({ sentence: Math.max(1, sentences), word: words.length, syllable: syllables });
}

describe('plain English', () => {
  it(`keeps every message a person reads at Flesch reading ease ${MINIMUM} or above`, async () => {
    const core = await createBotCore();
    const keys = [...readMessages('en-GB').keys()]
      // Fragments that are only ever part of a sentence, and one-word labels, are not scored on their own.
      .filter((k) => !/^(choice|days|hours|language)\./.test(k))
      // The console's own labels are for call handlers; its saved replies are read by the person, so they count.
      .filter((k) => !k.startsWith('console.') || /^console\.savedReplies\.\w+\.text$/.test(k));
    const texts = keys.map((key) => ({ key, text: core.renderer.text(key, 'en-GB') }));
    const short = texts.filter((t) => (t.text.match(/\p{L}+/gu) ?? []).length < MIN_WORDS).map((t) => t.key);
    const scores = texts
      .filter((t) => !short.includes(t.key))
      .map(({ key, text }) => ({ key, score: Math.round(readingEase(text)) }));
    const sorted = [...scores].sort((a, b) => a.score - b.score);
    const mean = Math.round(scores.reduce((n, s) => n + s.score, 0) / scores.length);
    console.log(
      `readability en-GB: ${scores.length} messages, Flesch reading ease lowest ${sorted[0]?.score} (${sorted[0]?.key}), ` +
        `median ${sorted[Math.floor(sorted.length / 2)]?.score}, mean ${mean}; minimum allowed ${MINIMUM}; ` +
        `${short.length} messages under ${MIN_WORDS} words not scored (${short.join(', ')})`,
    );
    expect(sorted.filter((s) => s.score < MINIMUM)).toEqual([]);
  });
});
