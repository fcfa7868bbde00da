import { type AnyActorScope, type AnyStateNode, createActor, type ExecutableActionObject } from 'xstate';
import { FLOW_VERSION, initialSupportContext, supportFlow, type SupportContext } from '../../flows/support-flow.js';
import type { SupportEmitted, SupportEvent } from '../../flows/support-events.js';
import type { Expecting } from '../nlu/understanding.js';

/** The flow's snapshot between events of one turn (XState's machine snapshot). */
export type FlowSnapshot = ReturnType<typeof supportFlow.resolveState>;

/** What a stored snapshot restores to: the snapshot, or why it could not be used. */
export type Restored = { readonly snapshot: FlowSnapshot; readonly restarted: boolean };

/** The flow cannot be stepped without a live actor: it invokes or spawns children, or has delayed transitions. */
export class FlowNotPureError extends Error {}

/**
 * Runs the support flow as pure functions of a stored snapshot: XState's
 * `transition()` and `initialTransition()`, on one inert actor scope made
 * once. XState's own functions build a new actor (and compute the machine's
 * whole initial snapshot) on every call: at several events a turn, the
 * largest part of a turn's garbage, and enough of it outlives a
 * young-generation collection under load to lengthen both kinds of GC
 * pause (measured with `npm run bench`: see docs/benchmark.md). Sharing the
 * scope is safe only because the flow is pure: it never invokes, spawns or
 * delays (nothing is ever registered with the scope's actor system), which
 * the constructor checks. Create one per engine; it holds no conversation's state.
 */
export class FlowStepper {
  readonly #scope: AnyActorScope;
  #collected: ExecutableActionObject[] = [];

  constructor() {
    assertPure(supportFlow.root);
    const self = createActor(supportFlow);
    this.#scope = {
      self,
      defer: () => undefined,
      id: '',
      logger: () => undefined,
      sessionId: '',
      stopChild: () => undefined,
      system: self.system,
      emit: () => undefined,
      actionExecutor: (action) => {
        this.#collected.push(action);
      },
    };
  }

  /**
   * Restores a stored snapshot into the current flow, or starts afresh when
   * there is none. A snapshot written by another flow version, or naming a
   * state that no longer exists, is not restored: `restarted` says so, and the
   * person is greeted politely rather than left in a state that cannot move.
   */
  restore(stored: { readonly flowVersion: number; readonly snapshot: unknown } | undefined): Restored {
    if (stored === undefined) return { snapshot: this.#initial(), restarted: false };
    if (stored.flowVersion === FLOW_VERSION) {
      try {
        const snapshot = supportFlow.resolveState(stored.snapshot as Parameters<typeof supportFlow.resolveState>[0]);
        if (snapshot.status === 'active') return { snapshot, restarted: false };
      } catch {
        // Unreadable or from a state that no longer exists: start again below.
      }
    }
    return { snapshot: this.#initial(), restarted: true };
  }

  /** Runs one event through the flow: the next snapshot and what the flow emitted (replies and effects), in order. */
  step(snapshot: FlowSnapshot, event: SupportEvent): { snapshot: FlowSnapshot; emitted: SupportEmitted[] } {
    const collected = this.#collecting();
    const next = supportFlow.transition(snapshot, event, this.#scope);
    const emitted: SupportEmitted[] = [];
    for (const action of collected) {
      if (action.type === 'xstate.emit') emitted.push((action.params as { event: SupportEmitted }).event);
    }
    return { snapshot: next, emitted };
  }

  /** The persisted (JSON-safe) form of a snapshot. */
  persist(snapshot: FlowSnapshot): unknown {
    return supportFlow.getPersistedSnapshot(snapshot);
  }

  #initial(): FlowSnapshot {
    this.#collecting();
    return supportFlow.getInitialSnapshot(this.#scope);
  }

  /** A fresh list for the actions of the call about to run: no call ever sees another's. */
  #collecting(): ExecutableActionObject[] {
    this.#collected = [];
    return this.#collected;
  }
}

/** Throws unless no state under `node` invokes a child or has a delayed transition: what sharing one actor scope needs. */
export function assertPure(node: AnyStateNode): void {
  if (node.invoke.length > 0) throw new FlowNotPureError(`state ${node.id} invokes an actor`);
  if (node.after.length > 0) throw new FlowNotPureError(`state ${node.id} has a delayed transition`);
  for (const child of Object.values(node.states) as AnyStateNode[]) assertPure(child);
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
