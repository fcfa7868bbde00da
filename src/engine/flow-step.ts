import { initialTransition, transition } from 'xstate';
import { FLOW_VERSION, initialSupportContext, supportFlow, type SupportContext } from '../../flows/support-flow.js';
import type { SupportEmitted, SupportEvent } from '../../flows/support-events.js';
import type { Expecting } from '../nlu/understanding.js';

/** The flow's snapshot between events of one turn (XState's machine snapshot). */
export type FlowSnapshot = ReturnType<typeof supportFlow.resolveState>;

/** What a stored snapshot restores to: the snapshot, or why it could not be used. */
export type Restored = { readonly snapshot: FlowSnapshot; readonly restarted: boolean };

/**
 * Restores a stored snapshot into the current flow, or starts afresh when
 * there is none. A snapshot written by another flow version, or naming a
 * state that no longer exists, is not restored: `restarted` says so, and the
 * person is greeted politely rather than left in a state that cannot move.
 */
export function restoreFlow(stored: { readonly flowVersion: number; readonly snapshot: unknown } | undefined): Restored {
  if (stored === undefined) return { snapshot: initialTransition(supportFlow)[0], restarted: false };
  if (stored.flowVersion === FLOW_VERSION) {
    try {
      const snapshot = supportFlow.resolveState(stored.snapshot as Parameters<typeof supportFlow.resolveState>[0]);
      if (snapshot.status === 'active') return { snapshot, restarted: false };
    } catch {
      // Unreadable or from a state that no longer exists: start again below.
    }
  }
  return { snapshot: initialTransition(supportFlow)[0], restarted: true };
}

/**
 * Runs one event through the flow with XState's pure `transition()`: the next
 * snapshot and what the flow emitted (replies and effects), in order. No
 * actor is created, so a turn costs no more than the transition itself.
 */
export function stepFlow(snapshot: FlowSnapshot, event: SupportEvent): { snapshot: FlowSnapshot; emitted: SupportEmitted[] } {
  const [next, actions] = transition(supportFlow, snapshot, event);
  const emitted: SupportEmitted[] = [];
  for (const action of actions as readonly { type: string; params?: unknown }[]) {
    if (action.type === 'xstate.emit') emitted.push((action.params as { event: SupportEmitted }).event);
  }
  return { snapshot: next, emitted };
}

/** The persisted (JSON-safe) form of a snapshot. */
export function persistFlow(snapshot: FlowSnapshot): unknown {
  return supportFlow.getPersistedSnapshot(snapshot);
}

/** The flow's context of a snapshot. */
export function contextOf(snapshot: FlowSnapshot): SupportContext {
  return (snapshot.context as SupportContext | undefined) ?? initialSupportContext();
}

/** What the bot had just asked, for reading the next message. */
export function expectingOf(context: SupportContext): Expecting {
  switch (context.step) {
    case 'safety':
    case 'riskCheck':
    case 'age':
    case 'paid':
      return context.step;
    default:
      return 'any';
  }
}
