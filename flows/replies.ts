import { MENU_QUESTIONS, MORE_QUESTIONS, type Question, type SocialKind } from './intents.js';
import { SITUATION_CHOICE_PREFIX, SITUATIONS } from './situations.js';
import type { Step } from './support-context.js';
import type { Variant } from './say.js';

/**
 * The flow's replies that depend on what is known: which crisis reply, which
 * answer to a question, which line brings someone back to their step. Each
 * is a list of variants, first match wins, and every list ends with a
 * variant that always applies, so nobody is ever left without a reply.
 */

/**
 * Lines that only some languages have: Welsh speakers are offered
 * Samaritans' Welsh Language Line and Meic; Polish speakers are told the
 * helplines work in English and how to ask for an interpreter on 999 or 101.
 * Said after the crisis replies and where help is listed; a language with
 * nothing to add leaves the message empty and nothing is sent.
 */
export const LOCAL_CRISIS = 'local.crisis';
export const LOCAL_HELPLINES = 'local.helplines';

/**
 * The most buttons one message offers: Messenger shows 11 quick replies, the
 * fewest of the channels that show them all as buttons (the menu has pages).
 */
export const MAX_CHOICES = 11;

/** "Are you safe?", asked about themselves or, worded for the answer, about someone else. */
const SAFETY = ['safe', 'not_safe'] as const;
const SAFETY_OTHER = ['safe_other', 'not_safe_other'] as const;

/** Buttons of the steps that ask something. */
export const CHOICES = {
  safety: SAFETY,
  safetyOther: SAFETY_OTHER,
  /** "Are you safe?" as the welcome leads into it: the language choice too, in case the bot guessed wrong. */
  safetyFirst: [...SAFETY, 'language'],
  safetyFirstOther: [...SAFETY_OTHER, 'language'],
  riskCheck: ['yes', 'no', 'danger'],
  afterRisk: ['continue', 'human'],
  age: ['under18', 'adult', 'age_skip'],
  paid: ['paid', 'not_paid'],
  next: ['next'],
  reporting: ['human', 'next'],
  summary: ['menu', 'human'],
  menu: ['situations', ...MENU_QUESTIONS.map((q) => `q:${q}`), 'more', 'continue', 'human', 'language'],
  menuMore: [...MORE_QUESTIONS.map((q) => `q:${q}`), 'clear', 'delete', 'menu'],
  confirmClear: ['clear_yes', 'clear_silent', 'no'],
  menuSituations: [...SITUATIONS.map((s) => `${SITUATION_CHOICE_PREFIX}${s.id}`), 'menu'],
  queued: ['continue', 'cancel'],
  withHandler: ['leave'],
  carryOn: ['continue', 'menu'],
} as const satisfies Record<string, readonly string[]>;

/** The reply to a risk disclosure: the highest level known decides, worded for who Childline is for. */
export const RISK_REPLIES: readonly Variant[] = [
  // Someone writing about another person (a parent, a friend) is told what to do for them.
  ...(['harmed', 'imminent', 'thoughts'] as const).flatMap((level) =>
    (['young', 'older', 'unknown'] as const).map((childline): Variant => ({
      key: `risk.${level}Other.${childline}`,
      choices: CHOICES.afterRisk,
      when: { level, childline, writer: 'other' },
    })),
  ),
  ...(['harmed', 'imminent', 'thoughts'] as const).flatMap((level) =>
    (['young', 'older', 'unknown'] as const).map((childline): Variant => ({
      key: `risk.${level}.${childline}`,
      choices: CHOICES.afterRisk,
      when: { level, childline },
    })),
  ),
  { key: 'risk.danger', choices: CHOICES.afterRisk, when: { danger: true } },
];

/** What they say next while a 999 reply stands (they have harmed themselves, are about to, or are in danger). */
export const FOLLOW_UP_REPLIES: readonly Variant[] = (['young', 'older', 'unknown'] as const).flatMap((childline): Variant[] => [
  { key: `risk.followUpOther.${childline}`, choices: CHOICES.afterRisk, when: { writer: 'other', childline } },
  { key: `risk.followUp.${childline}`, choices: CHOICES.afterRisk, when: { childline } },
]);

/**
 * What they say next after the reply to thoughts of suicide, when it is not
 * "carry on" or a question: the contacts again, kindly, and the way on.
 */
export const STILL_HERE_REPLIES: readonly Variant[] = (['young', 'older', 'unknown'] as const).flatMap((childline): Variant[] => [
  { key: `risk.stillHereOther.${childline}`, choices: CHOICES.afterRisk, when: { writer: 'other', childline } },
  { key: `risk.stillHere.${childline}`, choices: CHOICES.afterRisk, when: { childline } },
]);

/** When someone has not answered "are you safe?" or the direct question about ending their life. */
export const SILENCE_REPLIES: readonly Variant[] = (['young', 'older', 'unknown'] as const).map((childline) => ({
  key: `risk.silence.${childline}`,
  choices: CHOICES.safety,
  when: { childline },
}));

/**
 * Crisis contacts, said first whenever other routes are offered to someone
 * who has disclosed crisis or danger (nobody free, queue time-out).
 */
export const CRISIS_CONTACTS_FIRST: readonly Variant[] = (['young', 'older', 'unknown'] as const).map((childline) => ({
  key: `risk.contacts.${childline}`,
  when: { risk: true, childline },
}));

/** How to stop the images spreading: by age, by whether they are already out, and for images taken when under 18. */
export const TAKEDOWN_REPLIES: readonly Variant[] = [
  // Someone writing for another person is told how to help them, whether or not the images are out yet.
  { key: 'takedown.helper.child', when: { writer: 'other', age: 'child' } },
  { key: 'takedown.helper.adult', when: { writer: 'other', age: 'adult' } },
  { key: 'takedown.helper.unknown', when: { writer: 'other' } },
  { key: 'takedown.shared.child', when: { age: 'child', facts: { images: 'shared' } } },
  { key: 'takedown.shared.adultTakenYoung', when: { age: 'adult', facts: { images: 'shared', takenUnder18: true } } },
  { key: 'takedown.shared.adult', when: { age: 'adult', facts: { images: 'shared' } } },
  { key: 'takedown.shared.unknown', when: { facts: { images: 'shared' } } },
  { key: 'takedown.child', when: { age: 'child' } },
  { key: 'takedown.adultTakenYoung', when: { age: 'adult', facts: { takenUnder18: true } } },
  { key: 'takedown.adult', when: { age: 'adult' } },
  { key: 'takedown.unknown' },
];

/** Audience variants of an answer: for a known child, a known adult, and when the age is not known. */
function byAge(question: Question): Variant[] {
  return [
    { key: `answer.${question}.child`, when: { age: 'child' } },
    { key: `answer.${question}.adult`, when: { age: 'adult' } },
    { key: `answer.${question}.unknown` },
  ];
}

/** Platforms with their own "how to report and block" answer. */
export const PLATFORM_ANSWERS = ['instagram', 'snapchat', 'tiktok', 'facebook', 'x', 'whatsapp', 'discord'] as const;

/** The answer to each question, by what is known. */
export const ANSWER_REPLIES: Readonly<Record<Question, readonly Variant[]>> = {
  shouldPay: [{ key: 'answer.shouldPay.any' }],
  moneyBack: [{ key: 'answer.moneyBack.child', when: { age: 'child' } }, { key: 'answer.moneyBack.any' }],
  crime: byAge('crime'),
  trouble: byAge('trouble'),
  parentsFindOut: [
    { key: 'answer.parentsFindOut.adult', when: { age: 'adult' } },
    { key: 'answer.parentsFindOut.young' },
  ],
  privacy: [{ key: 'answer.privacy.any' }],
  afterReport: [{ key: 'answer.afterReport.child', when: { age: 'child' } }, { key: 'answer.afterReport.any' }],
  isBot: [{ key: 'answer.isBot.any' }],
  reporting: byAge('reporting'),
  platformHelp: [
    ...PLATFORM_ANSWERS.map((platform) => ({ key: `answer.platformHelp.${platform}`, when: { facts: { platform } } })),
    { key: 'answer.platformHelp.other' },
  ],
  blocking: [{ key: 'answer.blocking.any' }],
  evidence: [{ key: 'answer.evidence.any' }],
  deleting: [{ key: 'answer.deleting.any' }],
  alreadyBlocked: [{ key: 'answer.alreadyBlocked.any' }],
  alreadyDeleted: [{ key: 'answer.alreadyDeleted.any' }],
  // The take-down step's own wording answers the question too.
  takedown: TAKEDOWN_REPLIES,
  whatToSay: [{ key: 'answer.whatToSay.any' }],
  deadline: [{ key: 'answer.deadline.any' }],
  willTheyShare: [{ key: 'answer.willTheyShare.any' }],
  sextortion: [{ key: 'answer.sextortion.known', when: { facts: { who: 'partner' } } }, { key: 'answer.sextortion.known', when: { facts: { who: 'known' } } }, { key: 'answer.sextortion.any' }],
  whoToCall: [
    // The language's own helplines follow the answer (see LOCAL_HELPLINES): answerQuestion says it after any whoToCall answer.
    { key: 'answer.whoToCall.young', when: { childline: 'young' } },
    { key: 'answer.whoToCall.older', when: { childline: 'older' } },
    { key: 'answer.whoToCall.unknown' },
  ],
  otherCrime: [{ key: 'answer.otherCrime.any' }],
  clearChat: [{ key: 'answer.clearChat.any' }],
};

/** The one line that brings someone back to their step after a question or a social turn, with its buttons. */
export const RESUME_REPLIES: readonly Variant[] = [
  { key: 'resume.safetyOther', choices: CHOICES.safetyOther, when: { step: 'safety', writer: 'other' } },
  { key: 'resume.safety', choices: CHOICES.safety, when: { step: 'safety' } },
  { key: 'resume.riskCheck', choices: CHOICES.riskCheck, when: { step: 'riskCheck' } },
  { key: 'resume.risk', choices: CHOICES.afterRisk, when: { step: 'risk' } },
  { key: 'resume.ageOther', choices: CHOICES.age, when: { step: 'age', writer: 'other' } },
  { key: 'resume.age', choices: CHOICES.age, when: { step: 'age' } },
  { key: 'resume.paid', choices: CHOICES.paid, when: { step: 'paid' } },
  { key: 'resume.reporting', choices: CHOICES.reporting, when: { step: 'reporting' } },
  { key: 'resume.menu', choices: CHOICES.summary, when: { step: 'summary' } },
  { key: 'resume.menu', choices: CHOICES.summary, when: { step: 'bluffEmail' } },
  { key: 'resume.menu', choices: CHOICES.summary, when: { step: 'menu' } },
  { key: 'resume.handoff', choices: CHOICES.carryOn, when: { step: 'handoff' } },
  { key: 'resume.advice', choices: ['next', 'menu'] },
];

/** Steps that wait for "Next": there, "ok" means carry on. */
export const ADVICE_STEPS: readonly Step[] = [
  'helper', 'moreImages', 'paidAdvice', 'notPaidAdvice', 'contact', 'evidence', 'takedown', 'knownPerson', 'outing',
];

/** Social replies. "ok" has none: it carries on where a step waits for it, and is otherwise met with the step's own line. */
export const SOCIAL_REPLIES: Readonly<Record<Exclude<SocialKind, 'ok'>, string>> = {
  thanks: 'social.thanks',
  bye: 'social.bye',
  greeting: 'social.greeting',
  areYouThere: 'social.areYouThere',
  abuse: 'social.abuse',
  emoji: 'social.emoji',
  better: 'social.better',
  upset: 'social.upset',
  reassured: 'social.reassured',
};

/** Keys said by the flow's own actions rather than by `say`: the short welcome and the under-18 message. */
export const ACTION_REPLIES: readonly Variant[] = [{ key: 'welcome.short' }, { key: 'under18.message' }, { key: LOCAL_CRISIS }, { key: LOCAL_HELPLINES }];

/** Every reply variant in the tables above, for the key-coverage tests. */
export const REPLY_TABLES: readonly Variant[] = [
  ...RISK_REPLIES,
  ...FOLLOW_UP_REPLIES,
  ...STILL_HERE_REPLIES,
  ...SILENCE_REPLIES,
  ...CRISIS_CONTACTS_FIRST,
  ...Object.values(ANSWER_REPLIES).flat(),
  ...RESUME_REPLIES,
  ...Object.values(SOCIAL_REPLIES).map((key) => ({ key })),
  ...ACTION_REPLIES,
];
