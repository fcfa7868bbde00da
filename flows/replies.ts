import { MENU_QUESTIONS, type Question, type SocialKind } from './intents.js';
import type { Step } from './support-context.js';
import type { Variant } from './say.js';

/**
 * The flow's replies that depend on what is known: which crisis reply, which
 * answer to a question, which line brings someone back to their step. Each
 * is a list of variants, first match wins, and every list ends with a
 * variant that always applies, so nobody is ever left without a reply.
 */

/** Buttons of the steps that ask something. */
export const CHOICES = {
  safety: ['safe', 'not_safe'],
  riskCheck: ['yes', 'no', 'danger'],
  afterRisk: ['continue', 'human'],
  age: ['under18', 'adult', 'age_skip'],
  paid: ['paid', 'not_paid'],
  next: ['next'],
  reporting: ['human', 'next'],
  summary: ['menu', 'human'],
  menu: [...MENU_QUESTIONS.map((q) => `q:${q}`), 'continue', 'human', 'language', 'delete'],
  queued: ['continue', 'cancel'],
  carryOn: ['continue', 'menu'],
} as const satisfies Record<string, readonly string[]>;

/** The reply to a risk disclosure: the highest level known decides, worded for who Childline is for. */
export const RISK_REPLIES: readonly Variant[] = [
  ...(['harmed', 'imminent', 'thoughts'] as const).flatMap((level) =>
    (['young', 'older', 'unknown'] as const).map((childline): Variant => ({
      key: `risk.${level}.${childline}`,
      choices: CHOICES.afterRisk,
      when: { level, childline },
    })),
  ),
  { key: 'risk.danger', choices: CHOICES.afterRisk, when: { danger: true } },
];

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
  shouldPay: [{ key: 'answer.shouldPay' }],
  moneyBack: [{ key: 'answer.moneyBack.child', when: { age: 'child' } }, { key: 'answer.moneyBack' }],
  crime: byAge('crime'),
  trouble: byAge('trouble'),
  parentsFindOut: [
    { key: 'answer.parentsFindOut.adult', when: { age: 'adult' } },
    { key: 'answer.parentsFindOut.young' },
  ],
  privacy: [{ key: 'answer.privacy' }],
  afterReport: [{ key: 'answer.afterReport.child', when: { age: 'child' } }, { key: 'answer.afterReport' }],
  isBot: [{ key: 'answer.isBot' }],
  reporting: byAge('reporting'),
  platformHelp: [
    ...PLATFORM_ANSWERS.map((platform) => ({ key: `answer.platformHelp.${platform}`, when: { facts: { platform } } })),
    { key: 'answer.platformHelp.other' },
  ],
  blocking: [{ key: 'answer.blocking' }],
  evidence: [{ key: 'answer.evidence' }],
  deleting: [{ key: 'answer.deleting' }],
  alreadyBlocked: [{ key: 'answer.alreadyBlocked' }],
  alreadyDeleted: [{ key: 'answer.alreadyDeleted' }],
  takedown: [
    { key: 'answer.takedown.child', when: { age: 'child' } },
    { key: 'answer.takedown.adultTakenYoung', when: { age: 'adult', facts: { takenUnder18: true } } },
    { key: 'answer.takedown.adult', when: { age: 'adult' } },
    { key: 'answer.takedown.unknown' },
  ],
  whatToSay: [{ key: 'answer.whatToSay' }],
  deadline: [{ key: 'answer.deadline' }],
  willTheyShare: [{ key: 'answer.willTheyShare' }],
  sextortion: [{ key: 'answer.sextortion.known', when: { facts: { who: 'partner' } } }, { key: 'answer.sextortion.known', when: { facts: { who: 'known' } } }, { key: 'answer.sextortion' }],
  whoToCall: [
    { key: 'answer.whoToCall.young', when: { childline: 'young' } },
    { key: 'answer.whoToCall.older', when: { childline: 'older' } },
    { key: 'answer.whoToCall.unknown' },
  ],
  otherCrime: [{ key: 'answer.otherCrime' }],
  clearChat: [{ key: 'answer.clearChat' }],
};

/** The one line that brings someone back to their step after a question or a social turn, with its buttons. */
export const RESUME_REPLIES: readonly Variant[] = [
  { key: 'resume.safety', choices: CHOICES.safety, when: { step: 'safety' } },
  { key: 'resume.riskCheck', choices: CHOICES.riskCheck, when: { step: 'riskCheck' } },
  { key: 'resume.risk', choices: CHOICES.afterRisk, when: { step: 'risk' } },
  { key: 'resume.age.other', choices: CHOICES.age, when: { step: 'age', writer: 'other' } },
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
};
