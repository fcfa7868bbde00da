/**
 * The contract between the engine and the support flow: the events the flow
 * understands and the replies it emits. Free text and button presses are both
 * turned into these events before the flow sees them, so the flow never deals
 * with wording, languages or platforms.
 */

/** Subjects a person can ask about at any time, by free text or from the menu. */
export type Topic =
  | 'evidence' // how to save evidence
  | 'blocking' // stopping contact / blocking
  | 'deleting' // should I delete things? (no: deactivate instead)
  | 'reporting' // how to report
  | 'takedown' // stopping the images spreading
  | 'crime' // is this a crime?
  | 'sextortion' // what is sextortion?
  | 'whoToCall' // numbers and services
  | 'paying'; // should I pay / I paid

export const TOPICS: readonly Topic[] = [
  'evidence', 'blocking', 'deleting', 'reporting', 'takedown', 'crime', 'sextortion', 'whoToCall', 'paying',
];

/** Events the flow receives. One navigation event per person's message, possibly after a FACTS event. */
export type SupportEvent =
  /** First contact or a platform "start" (Telegram /start, Bot Framework member added). */
  | { type: 'START' }
  /** Suicide or self-harm disclosed; `danger` is true when immediate danger was disclosed too. Wins over everything. */
  | { type: 'CRISIS'; danger: boolean }
  /** Immediate danger disclosed ("he's outside my house"). Wins over everything but crisis. */
  | { type: 'DANGER' }
  /** Global commands, available from every state. */
  | { type: 'MENU' }
  | { type: 'HELP' }
  | { type: 'HUMAN' }
  | { type: 'LANGUAGE' }
  | { type: 'SET_LANGUAGE'; locale: string }
  | { type: 'DELETE' }
  /** Answers to the question the current step asked. */
  | { type: 'YES' }
  | { type: 'NO' }
  | { type: 'NEXT' }
  | { type: 'AGE'; group: 'under18' | 'adult'; age?: number }
  | { type: 'PAID' }
  | { type: 'NOT_PAID' }
  /** They know the blackmailer (an ex-partner or someone they know). */
  | { type: 'KNOWN_PERSON' }
  | { type: 'TOPIC'; topic: Topic }
  /**
   * Facts learned from free text that was mainly about something else ("im 15
   * and he wants money"): recorded in context without a reply or transition.
   */
  | { type: 'FACTS'; age?: number; paid?: boolean }
  /** The person sent media. It is never fetched; they are told to keep it as evidence. */
  | { type: 'ATTACHMENT' }
  /** Text the bot could not understand (also empty or emoji-only text). */
  | { type: 'UNKNOWN' }
  /** The handoff queue took the request: a call handler will join. */
  | { type: 'HANDOFF_QUEUED' }
  /** No call handler can take it now (out of hours, or nobody signed in). */
  | { type: 'HANDOFF_UNAVAILABLE' }
  /** The person left the queue, or the call handler's chat ("cancel"). */
  | { type: 'CANCEL_HANDOFF' }
  /** Nobody picked the person up in time. */
  | { type: 'HANDOFF_TIMEOUT' }
  /** A call handler took the conversation over. */
  | { type: 'HANDLER_JOINED' }
  /** A call handler's message, relayed to the person word for word. */
  | { type: 'HANDLER_MESSAGE'; text: string }
  /** The call handler passed the conversation back to the queue. */
  | { type: 'HANDLER_TRANSFERRED' }
  /** The call handler had to leave (signed out, their session ended, or no reply for too long): back in the queue. */
  | { type: 'HANDLER_LEFT' }
  /** The call handler ended the conversation. */
  | { type: 'HANDLER_ENDED' };

/** Values a reply may interpolate besides the force profile and national contacts. */
export type ReplyVars = Readonly<Record<string, string | number | boolean>>;

/**
 * One reply: a locale key, its variables, and the ids of the buttons to offer.
 * The engine renders it in the person's language; the flow never holds a sentence.
 * A choice id of `languages` expands to one button per available language.
 */
export interface Reply {
  readonly key: string;
  readonly vars?: ReplyVars;
  readonly choices?: readonly string[];
}

/** What the flow emits during a transition (XState `emit`). */
export type SupportEmitted =
  | ({ type: 'reply' } & Reply)
  /** The person confirmed "delete my data": the engine erases everything held about them. */
  | { type: 'erase' }
  /** The person asked for a human or the flow decided one is needed (handoff, issue 5). */
  | { type: 'handoff'; reason: 'requested' | 'crisis' | 'danger' | 'child-at-risk' };
