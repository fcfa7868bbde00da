import type { Answer, Command, Question, SocialKind } from '../../flows/intents.js';
import { ADULT_AGE, ageGroupOf, type Facts, higherRisk, type RiskLevel } from '../../flows/safeguarding.js';
import { createFeatureEncoder } from './feature-encoder.js';
import { focusOf, sentencesOf } from './features.js';
import { amountOf, type Categories, categoryMatches, entryExec, entryMatches, type Lexicon, LexiconError, type LexiconCategory } from './lexicon.js';
import type { LinearModel } from './linear-model.js';
import { MAX_INPUT_LENGTH, normaliseText } from './normalise.js';
import { NONE } from './model-heads.js';
import type { Expecting, Understander, Understanding } from './understanding.js';

/** The locale whose lexicon is used when the conversation's locale has none. */
export const FALLBACK_LOCALE = 'en-GB';

/**
 * How sure the classifier must be before its answer is used where no rule
 * matched. Risk thresholds are low on purpose: a missed crisis is the one
 * failure this layer must not have, while a needless kind question costs
 * little. Tuned on the development split only.
 */
export interface Thresholds {
  /** Probability of harmed + imminent + danger above which the reply says "call 999 now" for harm to themselves. */
  readonly emergency: number;
  /**
   * The same, when most of it is danger from someone else: higher, because
   * the classifier's danger reading is the one most often set off by an
   * ordinary message about the blackmailer ("hes following me on snap").
   */
  readonly danger: number;
  /** Probability of any crisis level above which crisis contacts are given. */
  readonly crisis: number;
  /** Probability of any risk above which the bot asks directly. */
  readonly unclear: number;
  /** The emergency threshold when the message also says they are safe ("im fine, nobody is here"). */
  readonly emergencyDespiteSafe: number;
  readonly question: number;
  readonly command: number;
  readonly social: number;
  readonly answer: number;
  readonly switchTo: number;
  readonly fact: number;
  readonly language: number;
  /** How sure the classifier must be of risk in one sentence of a longer message before that sentence's reading is used. */
  readonly sentence: number;
  /** The same, for a stretch of words from a long sentence (a stretch out of context misleads more often). */
  readonly stretch: number;
  /** Below this probability that a message is in another language, that language's risk rules are not run on it. */
  readonly otherLanguage: number;
}

/** The thresholds that decide how a message's risk is answered, which may differ by language. */
export type RiskThresholds = Pick<Thresholds, 'emergency' | 'danger' | 'crisis' | 'unclear'>;

/**
 * Where a language keeps higher risk thresholds than the defaults. The
 * Welsh classifier learnt from the fewest messages and is least sure of
 * itself: on development sets unseen when it was set, the lower thresholds
 * caught three more Welsh emergencies and one thoughts message but read
 * eight ordinary Welsh messages as risk ("mae o'n mynd i yrru nhw i bawb"),
 * where in English they caught fourteen and three for five.
 */
export const DEFAULT_LOCALE_THRESHOLDS: Readonly<Record<string, Partial<RiskThresholds>>> = {
  cy: { emergency: 0.3, crisis: 0.35 },
};

/** The thresholds `npm start` uses. */
export const DEFAULT_THRESHOLDS: Thresholds = {
  emergency: 0.15,
  danger: 0.3,
  crisis: 0.2,
  unclear: 0.3,
  emergencyDespiteSafe: 0.7,
  question: 0.45,
  command: 0.6,
  social: 0.55,
  answer: 0.5,
  switchTo: 0.6,
  fact: 0.55,
  language: 0.8,
  otherLanguage: 0.02,
  sentence: 0.7,
  stretch: 0.95,
};

/** Options for {@link createUnderstander}. */
export interface UnderstanderOptions {
  /** Compiled lexicons (see `loadLexicons`); one must be for `fallbackLocale`. */
  readonly lexicons: readonly Lexicon[];
  /** The trained classifier; without it only the rules are used. */
  readonly model?: LinearModel;
  readonly thresholds?: Thresholds;
  /**
   * Risk thresholds that differ for a message in one language (by locale),
   * over `thresholds`: the classifier is surer of some languages than others.
   */
  readonly localeThresholds?: Readonly<Record<string, Partial<RiskThresholds>>>;
  readonly fallbackLocale?: string;
  /**
   * Stated ages outside this range are ignored: below it, "i am 5" is far more
   * often "5 minutes away" than an age; above it, a number is not an age.
   */
  readonly minAge?: number;
  readonly maxAge?: number;
  /** Characters of a message looked at (see `normaliseText`). */
  readonly maxLength?: number;
}

/** Words in each stretch of a long sentence read on its own for risk, and how far each stretch moves on. */
const WINDOW_WORDS = 10;
const WINDOW_STRIDE = 5;
/** Parts of one message read on their own for risk, at most. */
const MAX_PARTS_READ = 60;

/** Sentences of a long message read on their own for risk; a longer message is read whole only (its cost grows with every sentence). */
const MAX_SENTENCES_READ = 40;

/** How sure the classifier must be that someone else is writing (a parent, friend or teacher) when no rule says so. */
const WRITER_THRESHOLD = 0.85;

/** The steps whose question is answered yes or no: the only ones where the classifier's answer head is asked. */
const YES_NO_QUESTIONS: readonly Expecting[] = ['safety', 'riskCheck', 'paid'];

/** The model's language classes and the locales they stand for. */
const MODEL_LANGUAGES: Readonly<Record<string, string>> = { en: 'en-GB', cy: 'cy', pl: 'pl' };

/** Where a clause ends in a message as typed: punctuation before a space or the end, so "9.30" and "£1,000" stay whole. */
const CLAUSE_END = /[.,!?;:\n]+(?=\s|$)/u;

/**
 * A clause that is only an age: a number of one or two digits, or one number word, with at most a word
 * for who (i am, me, man, woman, m, f) before it and a unit or filler after it (yo, years old, oed, lat, fi).
 */
const BARE_AGE =
  /^(?:(?:i am|me|man|woman|male|female|boy|girl|m|f) )?(?<number>\d{1,2}|[\p{L}]+(?: [\p{L}]+)?)(?: (?:m|f|yo|yrs|years old|years|oed|mlwydd oed|lat|l|fi|dwi|btw|tbh|lol|here|now))?$/u;

/** A currency sign: a message that names money may end with a sum, not an age. */
const CURRENCY = /\p{Sc}/u;

/** A clause ending in a number: the clause after it continues a list ("20, 30, 40"), not an age. */
const ENDS_IN_NUMBER = /\d\s*$/u;

/** Characters of a clause as typed beyond which it is a sentence, not an age on its own: it is not normalised to be checked. */
const BARE_AGE_MAX_LENGTH = 80;

/** Emoji and other pictographs: a message of only these is a social turn, not gibberish. */
const PICTOGRAPHS = /\p{Extended_Pictographic}/u;

/** A thumbs up, an OK hand or a tick, and nothing else: the one wordless reply read as "yes" to "are you safe?". */
const WORDLESS_YES = /^(?:\s|\p{Emoji_Modifier}|\uFE0F|\u{1F44D}|\u{1F44C}|\u2705|\u2714|\u{1F197})+$/u;

/**
 * A message with no words: emoji, "..." or "?". Unprompted it is a social
 * turn (or nothing). Sent in reply to "are you safe?" or the direct question
 * about their life it is not an answer anyone can rely on ("🙂", "😶", "..."),
 * so it is an "unsure" that the flow follows up; only a thumbs up, an OK hand
 * or a tick says "yes" to "are you safe?".
 */
function wordless(text: string, expecting: Expecting): Understanding {
  const social = PICTOGRAPHS.test(text) ? { social: 'emoji' as const } : {};
  if (expecting !== 'safety' && expecting !== 'riskCheck') return { danger: false, matched: [], facts: {}, ...social };
  const answer = expecting === 'safety' && WORDLESS_YES.test(text) ? 'yes' : 'unsure';
  return { danger: false, matched: ['wordless-answer'], facts: {}, answer, ...social };
}

/**
 * Builds the understander: rules from each language's lexicon for
 * precision, the classifier for the phrasings no rule lists. All regular
 * expressions and the model are built once; a call normalises the text
 * once, extracts its features once, and runs pre-built expressions and one
 * model prediction per head. Risk and danger use every lexicon because a
 * person may write in their own language whatever the conversation's is.
 */
export function createUnderstander({
  lexicons,
  model,
  thresholds = DEFAULT_THRESHOLDS,
  localeThresholds = DEFAULT_LOCALE_THRESHOLDS,
  fallbackLocale = FALLBACK_LOCALE,
  minAge = 8,
  maxAge = 99,
  maxLength = MAX_INPUT_LENGTH,
}: UnderstanderOptions): Understander {
  const fallback = lexicons.find((l) => l.locale === fallbackLocale);
  if (!fallback) throw new LexiconError(`no understanding data for the fallback locale ${fallbackLocale}`);
  const byLower = new Map<string, Lexicon>();
  for (const lexicon of lexicons) {
    const lower = lexicon.locale.toLowerCase();
    if (byLower.has(lower)) throw new LexiconError(`two lexicons for locale ${lexicon.locale}`);
    byLower.set(lower, lexicon);
  }
  for (const lexicon of lexicons) {
    const language = lexicon.locale.split('-')[0]!.toLowerCase();
    if (!byLower.has(language)) byLower.set(language, lexicon);
  }
  const resolve = (locale: string): Lexicon => {
    const lower = locale.trim().toLowerCase().replace('_', '-');
    return byLower.get(lower) ?? byLower.get(lower.split('-')[0] ?? '') ?? fallback;
  };
  const t = thresholds;
  const riskThresholds = new Map<Lexicon, RiskThresholds>(lexicons.map((l) => [l, { ...t, ...localeThresholds[l.locale] }]));
  const encode = model ? createFeatureEncoder(model) : undefined;

  const stated = (lexicon: Lexicon, entries: Lexicon['age'], text: string, less: number): number | undefined => {
    for (const entry of entries) {
      const found = entryExec(entry, text)?.groups?.age;
      if (found === undefined) continue;
      const value = (/^\d+$/.test(found) ? Number(found) : lexicon.numbers.get(found)) ?? NaN;
      if (value - less >= minAge && value - less <= maxAge) return value - less;
    }
    return undefined;
  };
  // "nearly 18" is 17: the age about to be turned is checked first.
  const age = (lexicon: Lexicon, text: string): number | undefined => stated(lexicon, lexicon.ageNext, text, 1) ?? stated(lexicon, lexicon.age, text, 0);
  // "17, my boyfriend has pics" and "...he wants more. 15." give the age as a number on its own between commas or
  // full stops, which the rules (reading text without punctuation) cannot see. Only the first clause, or the last of
  // a message that names no currency and does not end a list ("gave in and paid. 21"), may give an adult age this
  // way; one in between must be a teenage age, so a list of sums is not read as one.
  const bareAge = (lexicon: Lexicon, text: string): number | undefined => {
    const clauses = text.split(CLAUSE_END);
    if (clauses.length < 2) return undefined;
    let last = clauses.length - 1;
    while (last > 0 && clauses[last]!.trim() === '') last--;
    for (let i = 0; i < clauses.length; i++) {
      if (clauses[i]!.length > BARE_AGE_MAX_LENGTH) continue;
      const clause = lexicon.replacements.apply(normaliseText(clauses[i]!, { maxLength }));
      const found = BARE_AGE.exec(clause)?.groups?.number;
      if (found === undefined) continue;
      const value = /^\d+$/.test(found) ? Number(found) : lexicon.numbers.get(found);
      if (value === undefined || value < minAge || value > maxAge) continue;
      if (i === 0 || (value >= 10 && value <= 19) || (i === last && !CURRENCY.test(text) && !ENDS_IN_NUMBER.test(clauses[i - 1] ?? ''))) return value;
    }
    return undefined;
  };

  return {
    locales: Object.freeze(lexicons.map((l) => l.locale).sort()),
    understand(text, { locale, expecting = 'any' }) {
      const base = normaliseText(text, { maxLength });
      if (base === '') return wordless(text, expecting);
      const sentences = encode ? sentencesOf(text) : [];
      const sentence = focusOf(sentences);
      const encoded = encode?.(base, expecting, sentence === undefined ? undefined : normaliseText(sentence, { maxLength }));
      const predict = (head: string) => (encoded ? model?.predict(head, encoded) : undefined);

      const languages = predict('language');
      const detected = languageOf(languages, t.language, base) ?? greetingLanguage(lexicons, base);
      const current = resolve(detected ?? locale);
      const text_ = current.replacements.apply(base);
      const matched: string[] = [];

      // Risk: every language's rules, then the classifier for what no rule lists.
      let level: RiskLevel | undefined;
      let danger = false;
      // What they say is safe ("im not suicidal", "nobody is going to hurt me") and harmless idioms ("dead tired")
      // are set aside before the risk rules run, so a reassurance is not read as the danger it denies.
      const reassured = categoryMatches(current.reassurances, text_);
      const ownText = setAside(current, text_);
      const safe = ownText !== text_;
      for (const lexicon of lexicons) {
        const own = lexicon === current;
        if (!own && lexicon !== fallback && !mayBeIn(lexicon, languages, base, t.otherLanguage)) continue;
        const lt = own ? ownText : setAside(lexicon, lexicon.replacements.apply(base));
        const prefix = own ? '' : `${lexicon.locale}:`;
        const r = lexicon.risk;
        let found: RiskLevel | undefined;
        if (collect(r.harmed, lt, prefix, matched)) found = 'harmed';
        else if (collect(r.imminent, lt, prefix, matched)) found = 'imminent';
        // Another language's thoughts or hints do not outweigh a reassurance in the message's own language.
        else if (!(safe && !own) && collect(r.thoughts, lt, prefix, matched)) found = collect(r.imminenceCues, lt, prefix, matched) ? 'imminent' : 'thoughts';
        else if (!(safe && !own) && collect(r.unclear, lt, prefix, matched)) found = 'unclear';
        level = higherRisk(level, found);
        if (collect(lexicon.danger, lt, prefix, matched)) danger = true;
      }
      const ruleLevel = level;
      const rt = riskThresholds.get(current)!;
      // The classifier reads a reassurance's remainder too: "nobody is going to hurt me, im at home" is just "im at home".
      const riskOf = (own: string) => (model && encode ? model.predict('risk', encode(own.replace(/ {2,}/g, ' ').trim(), expecting)) : undefined);
      // A message that is all reassurance leaves nothing for the classifier to read.
      let risk = safe ? (/\p{L}{2}/u.test(ownText) ? riskOf(ownText) : undefined) : predict('risk');
      // A long story can bury one sentence that matters ("...i've taken every pill in my flat. how do i report
      // them"): each sentence is read on its own as well, and so is each stretch of a long run-on sentence typed
      // without full stops; the riskiest reading counts.
      if (risk) {
        // Each part is read in the form the classifier was trained on; a sentence that is a reassurance ("im safe")
        // is left to the whole message's reading. A message of one sentence is the text already read above.
        const sentenceForm =
          sentences.length === 1
            ? () => (safe ? undefined : base)
            : (sentence: string): string | undefined => {
                const form = normaliseText(sentence, { maxLength });
                return setsAside(current, current.replacements.apply(form)) ? undefined : form;
              };
        for (const part of riskParts(sentences, sentenceForm)) {
          const reading = riskOf(part.text);
          const none = reading?.probabilities[NONE] ?? 1;
          if (reading && 1 - none >= (part.stretch ? t.stretch : t.sentence) && none < (risk.probabilities[NONE] ?? 1)) risk = reading;
        }
      }
      if (risk) {
        const p = risk.probabilities;
        const emergency = (p.harmed ?? 0) + (p.imminent ?? 0) + (p.danger ?? 0);
        const crisis = (p.thoughts ?? 0) + (p.harmed ?? 0) + (p.imminent ?? 0);
        const any = 1 - (p[NONE] ?? 0);
        let modelLevel: RiskLevel | undefined;
        let modelDanger = false;
        // After a reassurance only strong evidence of an emergency overrides it.
        if (emergency >= (safe ? t.emergencyDespiteSafe : rt.emergency)) {
          if ((p.danger ?? 0) < (p.harmed ?? 0) + (p.imminent ?? 0)) modelLevel = (p.harmed ?? 0) >= (p.imminent ?? 0) ? 'harmed' : 'imminent';
          else if (emergency >= (safe ? t.emergencyDespiteSafe : rt.danger)) modelDanger = true;
        }
        // Beside a danger the reply already meets with 999, a hint of crisis cannot be asked about in the same turn: its contacts join the reply.
        if (!safe && modelLevel === undefined && crisis >= (modelDanger ? rt.unclear : rt.crisis)) modelLevel = 'thoughts';
        if (!safe && modelLevel === undefined && !modelDanger && any >= rt.unclear) modelLevel = 'unclear';
        if (modelLevel !== undefined && modelLevel !== level) matched.push(`model:${modelLevel}`);
        if (modelDanger && !danger) matched.push('model:danger');
        level = higherRisk(level, modelLevel);
        danger ||= modelDanger;
      }

      const understanding: { -readonly [K in keyof Understanding]: Understanding[K] } = { danger, matched, facts: {} };
      if (detected !== undefined) understanding.language = detected;

      const { key: question, ruled: questionRuled } = combined<Question>(current.questions, text_, predict('question'), t.question);
      // A question the rules heard ("can i get that back") is not taken for the menu by the classifier's reading of "back".
      const commandRule = first(current.commands, text_);
      const modelCommand = commandRule === undefined ? modelChoice<Command>(predict('command'), t.command) : undefined;
      const command = commandRule ?? (questionRuled && modelCommand === 'menu' ? undefined : modelCommand);
      if (command !== undefined) understanding.command = command;
      const switchTo = first(current.languages, text_) ?? localeOf(modelChoice<string>(predict('switchTo'), t.switchTo));
      if (switchTo !== undefined) understanding.switchTo = switchTo;
      if (question !== undefined) understanding.question = question;
      const socialRule = first(current.social, text_);
      const social = socialRule ?? modelChoice<SocialKind>(predict('social'), t.social);
      if (social !== undefined) understanding.social = social;
      // A message of one or two words tells its facts in words the rules list ("15", "paypal"): the classifier's fact heads are not asked.
      const factPredict: Predict = wordCount(base) < 3 ? () => undefined : predict;
      understanding.facts = facts(current, text_, age(current, text_) ?? (expecting === 'paid' ? undefined : bareAge(current, text)), factPredict, t.fact, expecting);
      // A plain answer: a rule's, or the classifier's when nothing else explains the message (a question is not
      // an answer; "year 11" sent to "have you paid?" tells the age, not "yes"; and "someone has a video of me and
      // wants money" sent to "are you safe?" tells their story, not "no").
      const explained =
        question !== undefined ||
        command !== undefined ||
        socialRule !== undefined ||
        ((expecting === 'paid' || expecting === 'safety') && tellsOtherFacts(understanding.facts));
      const answerRule = answerOf(current.answers, text_, expecting);
      // The classifier's answer is a yes or no to a yes-or-no question; "how old are you?" is not one.
      const answer = answerRule ?? (YES_NO_QUESTIONS.includes(expecting) && !explained ? modelChoice<Answer>(predict('answer'), t.answer) : undefined);
      // Asked "are you safe?", a question with no word of risk in it ("what evidence do i need") is a question, and a
      // yes the rules read ("odw") is a yes: the classifier's hint alone, learnt from short answers such as "not
      // really", does not turn either into a hint of risk.
      if (expecting === 'safety' && (question !== undefined || answerRule === 'yes') && level === 'unclear' && ruleLevel === undefined && !danger) {
        level = undefined;
        matched.push('not-a-hint');
      }
      if (level !== undefined) understanding.risk = level;
      if (answer !== undefined) understanding.answer = answer;
      // Thoughts told with a time, a place or the means at hand ("yes, tonight", "i have a razor here") are imminent,
      // whether a rule or the classifier heard the thoughts, or "yes" answered "are you thinking of ending your life?".
      const thinking = level === 'thoughts' || (expecting === 'riskCheck' && answer === 'yes' && (level === undefined || level === 'unclear'));
      if (thinking && collect(current.risk.imminenceCues, ownText, '', matched)) understanding.risk = 'imminent';
      // "400 in bitcoin" sent to "have you paid?" says yes; asking for the money back says they paid.
      const f = understanding.facts;
      if (expecting === 'paid' && understanding.answer === undefined && f.paid === undefined && (f.amount !== undefined || f.payMethod !== undefined)) {
        understanding.answer = 'yes';
      }
      if (question === 'moneyBack' && f.paid === undefined) understanding.facts = { ...f, paid: true };
      // A reassurance ("im safe") answers "are you safe?" with yes, and "are you thinking of ending your life?" with
      // no; unless the answer's own words hedge it ("im safe at home but not ok in my head"). A "no" is a yes only
      // when the reassurance is what the no introduces ("no im not in danger", "no ones going to hurt me"). A harmless
      // idiom answers nothing: "no. my dad will kill me if he sees them" is still a no.
      if (reassured && expecting === 'safety' && answerRule !== 'unsure' && (answerRule !== 'no' || reassuranceLeads(text_, maskMatches(current.reassurances, text_)))) {
        understanding.answer = 'yes';
      }
      // Asked about their life, a question whose words happen to be set aside as harmless ("will the police come to the
      // house?") is a question, not a no: the question is answered and the direct question asked again.
      // A yes set against the reassurance that follows it is kept: "yes but im fine" is still a yes, "yeah im ok" a no.
      if (reassured && expecting === 'riskCheck' && answerRule !== 'unsure' && (question === undefined || answerRule === 'no')) {
        const contrastedYes = answerRule === 'yes' && categoryMatches(current.contrast, text_);
        if (!contrastedYes) understanding.answer = 'no';
      }
      // Said unprompted, or to another step's question, "im fine" or "im not going to do anything" is a reassurance, not an answer.
      const toldNothingElse = expecting === 'any' || (expecting !== 'safety' && expecting !== 'riskCheck' && understanding.answer === undefined && Object.keys(understanding.facts).length === 0);
      if (safe && toldNothingElse && understanding.social === undefined) understanding.social = 'reassured';
      return understanding;
    },
  };
}

type Predict = (head: string) => ReturnType<LinearModel['predict']> | undefined;

/**
 * The parts of a message read on their own for risk: each sentence of a message of several, and stretches of
 * WINDOW_WORDS words (every WINDOW_STRIDE words) of any sentence longer than that. None for a short message.
 */
function riskParts(sentences: readonly string[], normalise: (sentence: string) => string | undefined): { text: string; stretch: boolean }[] {
  if (sentences.length > MAX_SENTENCES_READ) return [];
  const parts: { text: string; stretch: boolean }[] = [];
  for (const sentence of sentences) {
    const normalised = normalise(sentence);
    if (normalised === undefined) continue;
    if (sentences.length > 1) parts.push({ text: normalised, stretch: false });
    const words = normalised.split(/ +/).filter((word) => word !== '');
    if (words.length <= WINDOW_WORDS) continue;
    for (let start = 0; start < words.length - WINDOW_STRIDE && parts.length < MAX_PARTS_READ; start += WINDOW_STRIDE) {
      parts.push({ text: words.slice(start, start + WINDOW_WORDS).join(' '), stretch: true });
    }
  }
  return parts;
}

/** Facts a message may tell beside whether they paid: enough to explain a message sent to "have you paid?". */
function tellsOtherFacts(f: Partial<Facts>): boolean {
  return f.age !== undefined || f.ageGroup !== undefined || f.demand !== undefined || f.who !== undefined || f.writer !== undefined;
}

/** The facts a message tells: rules first, then the classifier where no rule spoke. */
function facts(lexicon: Lexicon, text: string, age: number | undefined, predict: Predict, threshold: number, expecting: string): Partial<Facts> {
  const f = lexicon.facts;
  const out: { -readonly [K in keyof Facts]?: Facts[K] } = {};
  const fromModel = <T extends string>(head: string) => modelChoice<T>(predict(head), threshold);
  const g = lexicon.ageGroup;
  if (age !== undefined) out.age = age;
  if (categoryMatches(g.under18, text)) out.ageGroup = 'under18';
  // "fifteen, why does it matter" tells the age it questions.
  else if (age === undefined && categoryMatches(g.declined, text)) out.ageGroup = 'declined';
  else if (!(age !== undefined && age < ADULT_AGE) && categoryMatches(g.adult, text)) out.ageGroup = 'adult';
  // No classifier guess at the age group: a guessed age would settle the age step and the bot would never ask.
  if (out.age !== undefined && out.ageGroup === undefined) out.ageGroup = ageGroupOf(out.age);
  if (categoryMatches(f.notPaid, text)) out.paid = false;
  else if (categoryMatches(f.paid, text)) out.paid = true;
  else if (expecting !== 'paid') {
    // Sent to "have you paid?", the answer decides; the classifier's guess would only echo the question.
    const paid = fromModel<'yes' | 'no'>('paid');
    if (paid !== undefined) out.paid = paid === 'yes';
  }
  for (const entry of f.amount) {
    const found = entryExec(entry, text)?.groups?.amount;
    if (found === undefined) continue;
    out.amount = amountOf(found);
    break;
  }
  const set = <K extends 'payMethod' | 'demand' | 'who' | 'images' | 'writer' | 'platform'>(name: K, categories: Categories<NonNullable<Facts[K]>>) => {
    // Who is writing changes the whole route (a parent's advice, a teacher's): the classifier must be sure.
    const model = name === 'platform' ? undefined : modelChoice<NonNullable<Facts[K]>>(predict(name), name === 'writer' ? Math.max(threshold, WRITER_THRESHOLD) : threshold);
    // A sum of money named (asked for or paid) means the demand is money, whatever the classifier guessed.
    const guess = name === 'demand' && out.amount !== undefined ? 'money' : model;
    const value = first(categories, text) ?? guess;
    if (value !== undefined) out[name] = value as Facts[K];
  };
  set('payMethod', f.payMethod);
  set('demand', f.demand);
  set('who', f.who);
  set('images', f.images);
  set('writer', f.writer as Categories<NonNullable<Facts['writer']>>);
  set('platform', f.platform);
  for (const name of ['takenUnder18', 'deadline', 'outing'] as const) {
    if (categoryMatches(f[name], text) || fromModel<'yes'>(name) === 'yes') out[name] = true;
  }
  return out;
}

/**
 * The classifier's most likely class other than "none", when its probability
 * reaches the threshold (even if "none" is more likely still: a question
 * half-hidden in a long message is still a question).
 */
function modelChoice<T extends string>(prediction: ReturnType<LinearModel['predict']> | undefined, threshold: number): T | undefined {
  if (!prediction) return undefined;
  let best: string | undefined;
  let probability = 0;
  for (const [name, p] of Object.entries(prediction.probabilities)) {
    if (name !== NONE && p > probability) {
      best = name;
      probability = p;
    }
  }
  return best !== undefined && probability >= threshold ? (best as T) : undefined;
}

/** The locale a model language class stands for. */
function localeOf(code: string | undefined): string | undefined {
  return code === undefined ? undefined : MODEL_LANGUAGES[code];
}

/**
 * The language a message is written in, when the classifier is sure and the
 * message has enough words to tell ("ok", "15" or "no" say nothing).
 */
/**
 * Whether a message may be written, even in part, in a lexicon's language:
 * another language's crisis and danger rules are run unless the classifier
 * is sure the message (of five words or more) is not in it. The fallback
 * language's rules always run ("kms" is typed in every language).
 */
function mayBeIn(lexicon: Lexicon, languages: ReturnType<LinearModel['predict']> | undefined, text: string, threshold: number): boolean {
  if (!languages) return true;
  const p = languages.probabilities[lexicon.locale.split('-')[0]!.toLowerCase()];
  if (p === undefined || p >= threshold) return true;
  return wordCount(text) < 5;
}

/** Words of two letters or more. */
function wordCount(text: string): number {
  let n = 0;
  for (const word of text.split(' ')) if (WORD.test(word)) n++;
  return n;
}
const WORD = /\p{L}{2,}/u;

/**
 * The answer the rules hear: the first kind that matches; but asked "are you
 * safe?" or about their life, an answer they hear as hedged ("no ones here
 * but im not ok", "no... well sometimes") is unsure whatever else it says, so
 * it is followed up, not taken as a no. Each kind's rules are run at most once.
 */
function answerOf(categories: Categories<Answer>, text: string, expecting: string): Answer | undefined {
  const hedgeWins = expecting === 'safety' || expecting === 'riskCheck';
  let found: Answer | undefined;
  for (const [kind, category] of categories) {
    if (found !== undefined && (!hedgeWins || kind !== 'unsure')) continue;
    if (!categoryMatches(category, text)) continue;
    if (!hedgeWins || kind === 'unsure') return kind;
    found = kind;
  }
  return found;
}

/**
 * The language of a greeting of a word or two ("siema", "haia") that only one
 * language's rules know: too short for the classifier to tell, but enough to
 * answer in the person's language from the first reply.
 */
function greetingLanguage(lexicons: readonly Lexicon[], text: string): string | undefined {
  if (wordCount(text) > 2) return undefined;
  let found: string | undefined;
  for (const lexicon of lexicons) {
    const greeting = lexicon.social.find(([kind]) => kind === 'greeting')?.[1];
    if (!greeting || !categoryMatches(greeting, lexicon.replacements.apply(text))) continue;
    if (found !== undefined) return undefined;
    found = lexicon.locale;
  }
  return found;
}

function languageOf(prediction: ReturnType<LinearModel['predict']> | undefined, threshold: number, text: string): string | undefined {
  if (!prediction || prediction.probability < threshold) return undefined;
  if (wordCount(text) < 3) return undefined;
  return localeOf(prediction.best);
}

/**
 * The rules and the classifier together: every class a rule matched gets a
 * bonus on top of the classifier's probability, and the best class wins if
 * it reaches the threshold. The bonus is a whole 1, so a rule always
 * decides over a class no rule matched (on the development split the
 * classifier overruled right rules more often than wrong ones); where two
 * rules match (a statement and a question in one message) the classifier
 * picks between them, and where none does it speaks alone. Says too whether a rule heard the winner.
 */
function combined<K extends string>(
  categories: Categories<K>,
  text: string,
  prediction: ReturnType<LinearModel['predict']> | undefined,
  threshold: number,
  bonus = 1,
): { readonly key?: K; readonly ruled: boolean } {
  let best: K | undefined;
  let score = -1;
  const probabilities = prediction?.probabilities ?? {};
  const ruled = new Set<string>();
  for (const [key, category] of categories) {
    if (!categoryMatches(category, text)) continue;
    ruled.add(key);
    const s = (probabilities[key] ?? 0) + bonus;
    if (s > score) {
      best = key;
      score = s;
    }
  }
  for (const [key, p] of Object.entries(probabilities)) {
    if (key !== NONE && !ruled.has(key) && p > score) {
      best = key as K;
      score = p;
    }
  }
  // A key a rule heard scores at least `bonus`, which no probability alone can beat: the winner is ruled whenever any rule matched.
  return best !== undefined && score >= threshold ? { key: best, ruled: ruled.has(best) } : { ruled: false };
}

/** Words that may come before a reassurance that answers "are you safe?" ("no", "nah mate", "nie martwcie sie"). */
const REASSURANCE_LEAD_WORDS = 3;

/** Whether what a mask set aside starts within the first few words: the reassurance is the answer, not an aside. */
function reassuranceLeads(text: string, masked: string): boolean {
  let at = 0;
  while (at < text.length && text[at] === masked[at]) at++;
  return wordCount(text.slice(0, at)) <= REASSURANCE_LEAD_WORDS;
}

/** Whether a lexicon sets aside anything in the text as not risk: a reassurance or a harmless idiom. */
function setsAside(lexicon: Lexicon, text: string): boolean {
  return categoryMatches(lexicon.safe, text) || categoryMatches(lexicon.reassurances, text);
}

/** The text with what a lexicon sets aside as not risk (its harmless idioms, then its reassurances) blanked out. */
function setAside(lexicon: Lexicon, text: string): string {
  return maskMatches(lexicon.reassurances, maskMatches(lexicon.safe, text));
}

/** The text with every match of the category blanked out (the same text when nothing matches). */
function maskMatches(category: LexiconCategory, text: string): string {
  let masked = text;
  for (const entry of category.entries) {
    if (entryMatches(entry, masked)) masked = masked.replace(entry.everywhere, (m) => ' '.repeat(m.length));
  }
  return masked;
}

/** Adds the ids of matching entries; true when there was one. */
function collect(category: LexiconCategory, text: string, prefix: string, into: string[]): boolean {
  const before = into.length;
  for (const entry of category.entries) if (entryMatches(entry, text)) into.push(prefix + entry.id);
  return into.length > before;
}

/** The first key whose category matches. */
function first<K>(categories: readonly (readonly [K, LexiconCategory])[], text: string): K | undefined {
  for (const [key, category] of categories) if (categoryMatches(category, text)) return key;
  return undefined;
}
