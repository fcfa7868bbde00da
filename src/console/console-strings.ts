import type { SavedReply } from '../handoff/handoff-model.js';

/**
 * Every `console.*` UI string the call-handler pages use, from the locale
 * files. Listed once here so the pages, their scripts and the locale-key test
 * agree: a key the console stops using fails that test instead of lingering.
 */
export const CONSOLE_UI_KEYS = [
  'console.title',
  'console.skip',
  'console.signedInAs',
  'console.signOut',
  'console.live.connected',
  'console.live.lost',
  'console.queue.title',
  'console.arrivals.title',
  'console.arrivals.dismiss',
  'console.arrivals.switch',
  'console.arrivals.switchHint',
  'console.arrivals.blocked',
  'console.arrivals.notification',
  'console.queue.empty',
  'console.queue.open',
  'console.queue.count',
  'console.ticket.title',
  'console.ticket.back',
  'console.ticket.details',
  'console.ticket.priority',
  'console.ticket.reason',
  'console.ticket.flags',
  'console.ticket.channel',
  'console.ticket.wait',
  'console.ticket.timeLeft',
  'console.ticket.timingOut',
  'console.ticket.status',
  'console.ticket.answers',
  'console.ticket.ageGroup',
  'console.ticket.age',
  'console.ticket.paid',
  'console.ticket.knownPerson',
  'console.ticket.steps',
  'console.ticket.transcript',
  'console.ticket.transcriptEmpty',
  'console.ticket.actions',
  'console.ticket.claim',
  'console.ticket.transfer',
  'console.ticket.end',
  'console.ticket.takeOver',
  'console.ticket.reply',
  'console.ticket.send',
  'console.ticket.savedReplies',
  'console.ticket.insert',
  'console.ticket.note',
  'console.ticket.addNote',
  'console.ticket.gone',
  'console.status.queued',
  'console.status.mine',
  'console.status.other',
  'console.result.ok',
  'console.result.taken',
  'console.result.notYours',
  'console.result.gone',
  'console.result.invalid',
  'console.result.failed',
  'console.result.signedOut',
  'console.result.forbidden',
  'console.result.takenOver',
  'console.result.released',
  'console.forbidden.title',
  'console.audit.title',
  'console.audit.intro',
  'console.audit.filters',
  'console.audit.handler',
  'console.audit.ticket',
  'console.audit.from',
  'console.audit.to',
  'console.audit.apply',
  'console.audit.clear',
  'console.audit.caption',
  'console.audit.time',
  'console.audit.who',
  'console.audit.action',
  'console.audit.conversation',
  'console.audit.details',
  'console.audit.empty',
  'console.audit.more',
  'console.audit.invalid',
  'console.audit.shown',
  'console.audit.takenFrom',
  'console.audit.askedAbout',
  'console.audit.actions.signedIn',
  'console.audit.actions.signedOut',
  'console.audit.actions.viewed',
  'console.audit.actions.claimed',
  'console.audit.actions.replied',
  'console.audit.actions.noted',
  'console.audit.actions.transferred',
  'console.audit.actions.ended',
  'console.audit.actions.released',
  'console.audit.actions.takenOver',
  'console.audit.actions.auditRead',
  'console.audit.actions.timedOut',
  'console.audit.reasons.signedOut',
  'console.audit.reasons.sessionTimedOut',
  'console.audit.reasons.removed',
  'console.audit.reasons.passwordReset',
  'console.audit.reasons.idle',
  'console.priority.urgent',
  'console.priority.child',
  'console.priority.normal',
  'console.reason.requested',
  'console.reason.crisis',
  'console.reason.danger',
  'console.reason.childAtRisk',
  'console.flag.crisis',
  'console.flag.danger',
  'console.flag.under18',
  'console.flag.paid',
  'console.flag.notPaid',
  'console.flag.none',
  'console.channel.telegram',
  'console.channel.botframework',
  'console.channel.twitter',
  'console.channel.console',
  'console.answer.yes',
  'console.answer.no',
  'console.answer.unknown',
  'console.answer.adult',
  'console.answer.under18',
  'console.from.person',
  'console.from.bot',
  'console.from.handler',
  'console.from.note',
  'console.from.system',
  'console.time.underMinute',
  'console.time.minutes',
  'console.time.hours',
] as const;

/** A console UI string key. */
export type ConsoleKey = (typeof CONSOLE_UI_KEYS)[number];

/**
 * The saved replies a handler can insert, in the order the console lists them.
 * Each has `console.savedReplies.<id>.label` and `.text` in every locale; the
 * text is written for the person (plain, never promising what the force does
 * not do) and may use the renderer's placeholders (force name, numbers).
 */
export const SAVED_REPLY_IDS = ['introduce', 'notYourFault', 'dontPay', 'saveEvidence', 'report', 'safeNow'] as const;

/** The locale keys of one saved reply. */
export function savedReplyKeys(id: string): { label: string; text: string } {
  return { label: `console.savedReplies.${id}.label`, text: `console.savedReplies.${id}.text` };
}

/** Every `console.*` key in use: the UI strings and the saved replies. */
export const CONSOLE_KEYS: readonly string[] = [
  ...CONSOLE_UI_KEYS,
  ...SAVED_REPLY_IDS.flatMap((id) => Object.values(savedReplyKeys(id))),
];

/**
 * Builds the desk's `savedReplies(locale)` from the locale files. `render` is
 * the reply renderer's `text(key, locale)`, so the force's name, report link
 * and national numbers are filled in exactly as the bot itself states them.
 */
export function createSavedReplies(render: (key: string, locale: string) => string): (locale: string) => SavedReply[] {
  return (locale) =>
    SAVED_REPLY_IDS.map((id) => {
      const keys = savedReplyKeys(id);
      return { id, label: render(keys.label, locale), text: render(keys.text, locale) };
    });
}
