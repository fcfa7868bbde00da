/**
 * What the person has told the bot, in plain words for a call handler: the
 * risk to their life and when they told it, danger, age, payment, who it is,
 * what is demanded, the images, a deadline, where, and who is writing. A fact
 * never told reads "not asked" (never "No"); risk and danger, which every
 * message is read for, read "none disclosed". Built from the ticket's answers
 * only: no words of the person's are here.
 */
import { formatTime, t } from './common.js';

const ADVICE_STEPS = [
  'risk',
  'under18',
  'bluffEmail',
  'helper',
  'moreImages',
  'paidAdvice',
  'notPaidAdvice',
  'contact',
  'evidence',
  'takedown',
  'knownPerson',
  'outing',
  'reporting',
  'summary',
];

const notAsked = () => t('summary.notAsked');
const told = (text, at) => (at === undefined ? text : `${text} (${t('summary.toldAt')} ${formatTime(at)})`);

function ageText(facts) {
  const group = facts.ageGroup === 'under18' ? t('summary.under18') : facts.ageGroup === 'adult' ? t('summary.adult') : undefined;
  if (facts.age !== undefined) return group ? `${facts.age} (${group})` : String(facts.age);
  if (facts.ageGroup === 'declined') return t('summary.declined');
  return group ?? notAsked();
}

function paidText(facts) {
  if (facts.paid === undefined) return notAsked();
  if (!facts.paid) return t('summary.no');
  const how = facts.payMethod ? ` ${t('summary.by')} ${t(`summary.payMethods.${facts.payMethod}`)}` : '';
  const amount = facts.amount !== undefined ? `, ${t('summary.about')} ${facts.amount}` : '';
  return `${t('summary.yes')}${how}${amount}`;
}

function imagesText(facts) {
  if (facts.images === undefined) return facts.takenUnder18 ? t('summary.takenUnder18') : notAsked();
  const state = t(`summary.imageStates.${facts.images}`);
  return facts.takenUnder18 ? `${state}, ${t('summary.takenUnder18')}` : state;
}

/** The facts of a ticket's answers as [label, value] rows, in the order a handler reads them. */
export function summaryRows(answers) {
  const facts = answers.facts ?? { ageGroup: answers.ageGroup, ...(answers.age !== undefined && { age: answers.age }), ...(answers.paid !== undefined && { paid: answers.paid }) };
  const rows = [
    [t('summary.risk'), answers.risk ? told(t(`summary.levels.${answers.risk}`), answers.riskAt) : t('summary.noneTold')],
    [t('summary.danger'), answers.dangerAt !== undefined ? told(t('summary.dangerNow'), answers.dangerAt) : t('summary.noneTold')],
    [t('summary.age'), ageText(facts)],
    [t('summary.paid'), paidText(facts)],
    [t('summary.who'), facts.who ? t(`summary.perpetrators.${facts.who}`) : notAsked()],
    [t('summary.demand'), facts.demand ? t(`summary.demands.${facts.demand}`) : notAsked()],
    [t('summary.images'), imagesText(facts)],
    [t('summary.deadline'), facts.deadline ? t('summary.deadlineGiven') : notAsked()],
    [t('summary.platform'), facts.platform ? t(`summary.platforms.${facts.platform}`) : notAsked()],
    [t('summary.writer'), facts.writer ? t(`summary.writers.${facts.writer}`) : notAsked()],
  ];
  if (facts.outing) rows.push([t('summary.outing'), t('summary.yes')]);
  return rows;
}

/** The advice the bot has already given, in words, in the order it was given. */
export function adviceGiven(stepsSeen) {
  return ADVICE_STEPS.filter((step) => stepsSeen.includes(step))
    .sort((a, b) => stepsSeen.indexOf(a) - stepsSeen.indexOf(b))
    .map((step) => t(`summary.steps.${step}`));
}

/** The line under a queue item: the facts a handler choosing whom to pick up needs first. */
export function queueSummary(answers) {
  const rows = summaryRows(answers);
  return [rows[2], rows[3], rows[4], rows[9]].map(([label, value]) => `${label}: ${value}`).join(' · ');
}
