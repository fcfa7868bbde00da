import type { SupportEvent } from '../../flows/support-events.js';
import type { SupportContext } from '../../flows/support-flow.js';
import { choiceToEvent } from '../../flows/choices.js';
import type { InboundPayload } from '../core/inbound-event.js';
import type { Understanding } from '../nlu/understanding.js';

/** Where the person is with a call handler (the flow's `handoff`): "cancel" leaves the queue or the handler's chat. */
export type Handoff = SupportContext['handoff'];

/** Answers whether the conversation's current state acts on an event (XState `snapshot.can`). */
export type CanHandle = (event: SupportEvent) => boolean;

/** Buttons that mean the same wherever they are pressed: global commands, topics and languages. */
const ALWAYS_VALID = /^(menu|human|language|delete|help|cancel|topic:.+|lang:.+)$/;

/** Ages below this are the child route. */
export const ADULT_AGE = 18;

/**
 * Turns what the person did into the flow events for one turn: at most one
 * silent FACTS event, then exactly one event that moves the conversation.
 *
 * Priority, highest first: crisis, danger, global commands, a language named
 * outright, a newly disclosed under-18 age, the answer the current step is
 * waiting for, a topic, an adult age, and finally "not understood". Crisis and
 * danger always win, whatever else the message says.
 */
export function interpretPayload(
  payload: InboundPayload,
  understanding: Understanding | undefined,
  can: CanHandle,
  isAvailableLocale: (code: string) => boolean,
  offered: readonly string[] | undefined = undefined,
  handoff: Handoff = 'none',
): SupportEvent[] {
  switch (payload.type) {
    case 'handler':
      return [handlerEvent(payload)];
    case 'start':
      return [{ type: 'START' }];
    case 'attachment':
      // A caption that discloses crisis or danger is answered as such; otherwise the media warning.
      if (understanding?.crisis) return [{ type: 'CRISIS', danger: understanding.danger }];
      if (understanding?.danger) return [{ type: 'DANGER' }];
      return [{ type: 'ATTACHMENT' }];
    case 'choice': {
      // A stale button (pressed after the conversation moved on) is treated as not understood, which re-asks the step.
      const event = choiceToEvent(payload.choiceId);
      const current = offered === undefined || offered.includes(payload.choiceId) || ALWAYS_VALID.test(payload.choiceId);
      return [event && current && can(event) ? event : { type: 'UNKNOWN' }];
    }
    case 'text':
      return understanding ? interpretText(understanding, can, isAvailableLocale, handoff) : [{ type: 'UNKNOWN' }];
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

function interpretText(u: Understanding, can: CanHandle, isAvailableLocale: (code: string) => boolean, handoff: Handoff): SupportEvent[] {
  const events: SupportEvent[] = [];
  const age = u.age;
  if (age !== undefined || u.paid !== undefined) {
    events.push({ type: 'FACTS', ...(age !== undefined && { age }), ...(u.paid !== undefined && { paid: u.paid }) });
  }
  events.push(navigation(u, can, isAvailableLocale, handoff));
  return events;
}

function navigation(u: Understanding, can: CanHandle, isAvailableLocale: (code: string) => boolean, handoff: Handoff): SupportEvent {
  if (u.crisis) return { type: 'CRISIS', danger: u.danger };
  if (u.danger) return { type: 'DANGER' };

  switch (u.command) {
    case 'delete':
      return { type: 'DELETE' };
    case 'human':
      return { type: 'HUMAN' };
    case 'language':
      return { type: 'LANGUAGE' };
    case 'menu':
      return { type: 'MENU' };
    case 'help':
      return { type: 'HELP' };
    case 'cancel':
      // Waiting for a call handler or talking to one, "cancel" leaves; elsewhere it answers "no" or opens the menu.
      if (handoff !== 'none') return { type: 'CANCEL_HANDOFF' };
      return can({ type: 'NO' }) ? { type: 'NO' } : { type: 'MENU' };
    case undefined:
      break;
  }
  if (u.language) {
    return isAvailableLocale(u.language) ? { type: 'SET_LANGUAGE', locale: u.language } : { type: 'LANGUAGE' };
  }

  const group = u.ageGroup ?? (u.age === undefined ? undefined : u.age < ADULT_AGE ? 'under18' : 'adult');
  const ageEvent: SupportEvent | undefined = group && { type: 'AGE', group, ...(u.age !== undefined && { age: u.age }) };
  if (ageEvent && group === 'under18') return ageEvent;

  const answers: SupportEvent[] = [];
  if (u.paid === true) answers.push({ type: 'PAID' });
  if (u.paid === false) answers.push({ type: 'NOT_PAID' });
  if (u.knownPerson) answers.push({ type: 'KNOWN_PERSON' });
  if (u.yes) answers.push({ type: 'YES' }, { type: 'NEXT' });
  if (u.no) answers.push({ type: 'NO' });
  const answer = answers.find((event) => can(event));
  if (answer) return answer;

  // An adult age is accepted everywhere (noted, then the step is asked again), so it comes after topics.
  const topic = u.topics[0];
  if (topic) return { type: 'TOPIC', topic };
  if (ageEvent) return ageEvent;
  if (u.paid !== undefined) return { type: 'TOPIC', topic: 'paying' };
  return { type: 'UNKNOWN' };
}
