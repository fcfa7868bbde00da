import type { ConversationKey } from '../core/conversation-key.js';
import type { CheckScheduler } from '../engine/handoff-port.js';

/** A check the flow asked for: which, for whom, and when it is due. */
export interface DueCheck {
  readonly check: 'safety';
  readonly conversationKey: string;
  readonly dueAt: number;
}

/**
 * Where scheduled checks wait until they are due. `take` removes what is due
 * and returns it, atomically, so of several instances sweeping at once only
 * one gets each check. A conversation has at most one pending check of a
 * kind: scheduling again replaces it.
 */
export interface CheckStore extends CheckScheduler {
  schedule(key: ConversationKey, check: 'safety', dueAt: number): Promise<void>;
  /** Removes and returns the checks due at or before `now` (at most `limit`). */
  take(now: number, limit?: number): Promise<DueCheck[]>;
  /** "Delete my data": forgets the conversation's pending checks. */
  erase(conversationKey: string): Promise<void>;
}

/** `<check>|<conversation key>`: the member that stands for one pending check. */
export function checkMember(check: string, conversationKey: string): string {
  return `${check}|${conversationKey}`;
}

/** The check and conversation a member stands for, or undefined for a member that is not one. */
export function parseCheckMember(member: string): { check: 'safety'; conversationKey: string } | undefined {
  const bar = member.indexOf('|');
  const check = member.slice(0, bar);
  if (bar < 0 || check !== 'safety') return undefined;
  return { check, conversationKey: member.slice(bar + 1) };
}
