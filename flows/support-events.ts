/**
 * The contract between the engine and the support flow: the events the flow
 * understands and what it emits. Free text and button presses are both
 * turned into these events before the flow sees them, so the flow never deals
 * with wording, languages or platforms.
 *
 * One person's message becomes, in this order: at most one FACTS event
 * (silent), at most one RISK event, then exactly one event that moves the
 * conversation (an answer, a question, a command, a social turn, …).
 */
import type { Answer, Question, SocialKind } from './intents.js';
import type { Facts, HandoffReason, RiskLevel } from './safeguarding.js';
import type { SituationId } from './situations.js';

/** The pages of the menu: the main topics, more questions, and situations to pick from. */
export const MENU_PAGES = ['main', 'more', 'situations'] as const;
export type MenuPage = (typeof MENU_PAGES)[number];

/** Why no call handler can come: outside the force's hours, or within them but nobody is free. */
export type Unavailable = 'closed' | 'busy';

/** What a platform lets the bot delete from the person's screen: everything recent, its own messages, or nothing. */
export type ClearKind = 'all' | 'bot' | 'none';

/** What a cleared chat is left with: one neutral line, or nothing at all. */
export type ClearLeave = 'note' | 'nothing';

/** A check the flow asks the engine to run later if the person says nothing. */
export type Check = 'safety';

/** Events the flow receives. */
export type SupportEvent =
  /** A platform's "start" (Telegram /start, Bot Framework member added): the full welcome. */
  | { type: 'START' }
  /** Facts learned from what they wrote or pressed, recorded silently. */
  | { type: 'FACTS'; facts: Partial<Facts> }
  /**
   * Risk disclosed: a level for their own life (unclear, thoughts, imminent,
   * harmed) and/or danger from someone else. Answered first, from anywhere.
   */
  | { type: 'RISK'; level?: RiskLevel; danger: boolean }
  /** Commands that work from every step. The menu has pages: the main topics, more questions, and situations. */
  | { type: 'MENU'; page?: MenuPage }
  | { type: 'HELP' }
  | { type: 'HUMAN' }
  | { type: 'LANGUAGE' }
  | { type: 'SET_LANGUAGE'; locale: string }
  | { type: 'DELETE' }
  | { type: 'CANCEL' }
  /**
   * "Clear this chat". The engine adds what the platform lets it delete (the
   * person's messages and its own, its own only, or nothing, with the
   * platform's name); without that it is answered with how to do it by hand.
   */
  | { type: 'CLEAR_CHAT'; can?: ClearKind; platform?: string }
  /** Confirmed: clear, leaving one neutral line (`note`) or nothing at all. */
  | { type: 'CLEAR_CONFIRMED'; leave: ClearLeave }
  /** What the engine's deletion achieved (counts only). */
  | { type: 'CHAT_CLEARED'; leave: ClearLeave; deleted: number; failed: number; older: boolean }
  /**
   * A plain answer to the question the bot asked; to "are you safe?" and the
   * direct question about their life, with the question they asked alongside
   * it, if any ("yes im safe. will my parents find out?"), to be answered too.
   */
  | { type: 'ANSWER'; answer: Answer; question?: Question }
  /** Carry on to the next step (a button, or "ok" where the step waits for it). */
  | { type: 'NEXT' }
  /** A question, answered at any step. */
  | { type: 'QUESTION'; question: Question }
  /** Social talk: thanks, hello, bye, swearing at the bot, emoji, "I feel a bit better". */
  | { type: 'SOCIAL'; kind: SocialKind }
  /**
   * The message told facts and nothing else (the FACTS event before it
   * carries them), with the situations those facts are (an ex, a bluff
   * email…): once the guided steps are over, a situation's advice follows.
   */
  | { type: 'INFO'; situations?: readonly SituationId[] }
  /** A situation picked from the menu (the FACTS event before it tells its fact): its advice follows. */
  | { type: 'SITUATION'; situation: SituationId }
  /** Nothing in the message could be understood. */
  | { type: 'UNKNOWN' }
  /** Media: never fetched; they are told to keep it as evidence. */
  | { type: 'ATTACHMENT' }
  /** A check the flow scheduled came due and the person had not answered. */
  | { type: 'SILENCE'; check: Check }
  /** The handoff queue took the request: a call handler will join. */
  | { type: 'HANDOFF_QUEUED' }
  /** No call handler can come now. */
  | { type: 'HANDOFF_UNAVAILABLE'; why: Unavailable }
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

/** What the flow emits during a transition: replies, and effects for the engine to carry out. */
export type SupportEmitted =
  | ({ type: 'reply' } & Reply)
  /** "Delete my data" confirmed: the engine erases everything held about them. */
  | { type: 'erase' }
  /** "Clear this chat" confirmed: the engine deletes what it can and answers with CHAT_CLEARED. */
  | { type: 'clearChat'; leave: ClearLeave }
  /** A call handler is needed: the engine queues the conversation and answers with HANDOFF_QUEUED or HANDOFF_UNAVAILABLE. */
  | { type: 'handoff'; reason: HandoffReason }
  /** The person left the queue or the call handler's chat. */
  | { type: 'leaveHandoff' }
  /** Deliver SILENCE for this check later, unless the conversation has moved on by then. */
  | { type: 'schedule'; check: Check };
