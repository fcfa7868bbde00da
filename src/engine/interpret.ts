import { choiceToEvents, isAlwaysValidChoice } from '../../flows/choices.js';
import type { Facts } from '../../flows/safeguarding.js';
import { situationsTold } from '../../flows/situations.js';
import type { SupportEvent } from '../../flows/support-events.js';
import type { InboundPayload } from '../core/inbound-event.js';
import type { Expecting, Understanding } from '../nlu/understanding.js';

/** What the interpreter needs to know about the conversation besides the message. */
export interface InterpretContext {
  /** The button ids last offered; a press of any other answer button is stale. */
  readonly offered?: readonly string[];
  /** Whether a language can be switched to. */
  readonly isAvailableLocale: (code: string) => boolean;
  /** What the bot had just asked. */
  readonly expecting: Expecting;
  /**
   * A call handler has the conversation: typed words are for them, so only a
   * button or a slash command ("/cancel", "/menu") leaves the chat, never a
   * "stop" or "back" written to the handler.
   */
  readonly withHandler?: boolean;
}

/**
 * Turns what the person did into the flow events for one turn: at most one
 * silent FACTS event, at most one RISK event, then at most one event that
 * moves the conversation. Risk never waits: it is the flow's to answer first.
 *
 * The moving event, highest first: a command; a language asked for; an
 * answer to "are you safe?" or the direct question about their life (with
 * any question asked beside it); a question; any other answer; a social turn; facts alone; and finally "not
 * understood". After a risk disclosure only a command or a question still
 * follows (the crisis reply is the answer to everything else).
 */
export function interpretPayload(payload: InboundPayload, understanding: Understanding | undefined, context: InterpretContext): SupportEvent[] {
  switch (payload.type) {
    case 'handler':
      return [handlerEvent(payload)];
    case 'timer':
      return [{ type: 'SILENCE', check: payload.check }];
    case 'start':
      return [{ type: 'START' }];
    case 'attachment': {
      // A caption that discloses risk is answered as such; otherwise the media warning.
      const risk = understanding ? riskEvent(understanding) : undefined;
      return risk ? [risk] : [{ type: 'ATTACHMENT' }];
    }
    case 'choice': {
      // A stale button (pressed after the conversation moved on) is treated as not understood, which re-asks the step.
      const events = choiceToEvents(payload.choiceId);
      const current = context.offered === undefined || context.offered.includes(payload.choiceId) || isAlwaysValidChoice(payload.choiceId);
      return events && current ? [...events] : [{ type: 'UNKNOWN' }];
    }
    case 'text': {
      if (!understanding) return [{ type: 'UNKNOWN' }];
      const leavesHandler = !context.withHandler || payload.text.trimStart().startsWith('/');
      return interpretText(understanding, context, leavesHandler);
    }
  }
}

function handlerEvent(payload: Extract<InboundPayload, { type: 'handler' }>): SupportEvent {
  switch (payload.action) {
    case 'joined':
      return { type: 'HANDLER_JOINED' };
    case 'message':
      return { type: 'HANDLER_MESSAGE', text: payload.text };
    case 'transferred':
      return { type: 'HANDLER_TRANSFERRED' };
    case 'released':
      return { type: 'HANDLER_LEFT' };
    case 'ended':
      return { type: 'HANDLER_ENDED' };
    case 'timeout':
      return { type: 'HANDOFF_TIMEOUT' };
  }
}

function riskEvent(u: Understanding): SupportEvent | undefined {
  if (u.risk === undefined && !u.danger) return undefined;
  return { type: 'RISK', ...(u.risk !== undefined && { level: u.risk }), danger: u.danger };
}

function interpretText(u: Understanding, context: InterpretContext, leavesHandler: boolean): SupportEvent[] {
  const events: SupportEvent[] = [];
  const facts = Object.fromEntries(Object.entries(u.facts).filter(([, v]) => v !== undefined)) as { -readonly [K in keyof Facts]?: Facts[K] };
  // Sent to "have you paid?", a yes or no is the fact itself, even when a question follows ("no. will i get in trouble?").
  if (context.expecting === 'paid' && facts.paid === undefined && (u.answer === 'yes' || u.answer === 'no')) facts.paid = u.answer === 'yes';
  if (Object.keys(facts).length > 0) events.push({ type: 'FACTS', facts });
  // "sometimes" to "are you thinking of ending your life?" is a hint and the answer at once: the answer is the event.
  const answersRiskCheck = context.expecting === 'riskCheck' && u.risk === 'unclear' && !u.danger && u.answer !== undefined;
  const risk = answersRiskCheck ? undefined : riskEvent(u);
  if (risk) events.push(risk);
  const leaving = u.command === 'menu' || u.command === 'cancel';
  const moving = leaving && !leavesHandler ? undefined : movingEvent(u, context, facts, risk !== undefined);
  if (moving) events.push(moving);
  return events;
}

/** `facts` are those the turn's FACTS event carries: an INFO event names the situations they are. */
function movingEvent(u: Understanding, context: InterpretContext, facts: Partial<Facts>, risky: boolean): SupportEvent | undefined {
  const hasFacts = Object.keys(facts).length > 0;
  switch (u.command) {
    case 'menu':
      return { type: 'MENU' };
    case 'help':
      return { type: 'HELP' };
    case 'human':
      return { type: 'HUMAN' };
    case 'deleteData':
      return { type: 'DELETE' };
    case 'cancel':
      return { type: 'CANCEL' };
    case 'clearChat':
      return { type: 'CLEAR_CHAT' };
    case 'language':
      if (u.switchTo === undefined) return { type: 'LANGUAGE' };
      break;
    case undefined:
      break;
  }
  if (u.switchTo !== undefined) {
    return context.isAvailableLocale(u.switchTo) ? { type: 'SET_LANGUAGE', locale: u.switchTo } : { type: 'LANGUAGE' };
  }
  const safetyQuestion = context.expecting === 'safety' || context.expecting === 'riskCheck';
  if (u.answer !== undefined && safetyQuestion && !risky) return { type: 'ANSWER', answer: u.answer, ...(u.question !== undefined && { question: u.question }) };
  if (u.question !== undefined) return { type: 'QUESTION', question: u.question };
  if (risky) return undefined;
  if (context.expecting === 'any' && u.social === 'reassured') return { type: 'SOCIAL', kind: 'reassured' };
  // Nothing was asked: "no not paid anything" tells a fact rather than answering.
  if (context.expecting === 'any' && hasFacts) return info(facts);
  if (u.answer !== undefined) return { type: 'ANSWER', answer: u.answer };
  if (u.social !== undefined) return { type: 'SOCIAL', kind: u.social };
  if (hasFacts) return info(facts);
  return { type: 'UNKNOWN' };
}

/** Facts told and nothing else, with the situations they are. */
function info(facts: Partial<Facts>): SupportEvent {
  const situations = situationsTold(facts);
  return situations.length > 0 ? { type: 'INFO', situations } : { type: 'INFO' };
}
