import type { SupportContext } from '../../flows/support-context.js';
import { FLOW_VERSION } from '../../flows/support-flow.js';
import type { Reply, SupportEmitted, SupportEvent } from '../../flows/support-events.js';
import { contextOf, type FlowSnapshot, FlowStepper } from '../../src/engine/flow-step.js';

/**
 * Drives the support flow the way the engine does (XState's pure
 * `transition()` on a snapshot, events in, emitted output collected per
 * event), so tests read as conversations rather than XState plumbing.
 */
export class FlowDriver {
  readonly #flow = new FlowStepper();
  #snapshot: FlowSnapshot;

  constructor(persisted?: unknown) {
    const restored = this.#flow.restore(persisted === undefined ? undefined : { flowVersion: FLOW_VERSION, snapshot: persisted });
    this.#snapshot = restored.snapshot;
  }

  /** Sends one event and returns everything the flow emitted for it. */
  send(event: SupportEvent): SupportEmitted[] {
    const { snapshot, emitted } = this.#flow.step(this.#snapshot, event);
    this.#snapshot = snapshot;
    return emitted;
  }

  /** Sends events in order and returns everything the last one emitted. */
  sendAll(events: readonly SupportEvent[]): SupportEmitted[] {
    let last: SupportEmitted[] = [];
    for (const event of events) last = this.send(event);
    return last;
  }

  /** Sends the events of one message (FACTS, RISK, then the moving event) and returns all they emitted. */
  turn(...events: SupportEvent[]): SupportEmitted[] {
    return events.flatMap((event) => this.send(event));
  }

  /** The state value as JSON, the same serialisation the graph tests use. */
  get value(): string {
    return JSON.stringify(this.#snapshot.value);
  }

  get context(): SupportContext {
    return contextOf(this.#snapshot);
  }

  get status(): string {
    return this.#snapshot.status;
  }

  /** The persisted snapshot after a JSON round trip, as a store would give it back. */
  persisted(): unknown {
    return JSON.parse(JSON.stringify(this.#flow.persist(this.#snapshot)));
  }
}

/** Only the replies, in order. */
export function replies(emitted: readonly SupportEmitted[]): Reply[] {
  return emitted.filter((e): e is Extract<SupportEmitted, { type: 'reply' }> => e.type === 'reply');
}

/** Only the reply keys, in order. */
export function replyKeys(emitted: readonly SupportEmitted[]): string[] {
  return replies(emitted).map((r) => r.key);
}

/** Only the effects (everything but replies), in order. */
export function effects(emitted: readonly SupportEmitted[]): SupportEmitted[] {
  return emitted.filter((e) => e.type !== 'reply');
}

/** A finite set of events covering every event type, for graph traversal and walks. */
export const ALL_EVENTS: readonly SupportEvent[] = [
  { type: 'START' },
  { type: 'RISK', level: 'thoughts', danger: false },
  { type: 'RISK', level: 'harmed', danger: false },
  { type: 'RISK', level: 'unclear', danger: false },
  { type: 'RISK', danger: true },
  { type: 'MENU' },
  { type: 'MENU', page: 'more' },
  { type: 'MENU', page: 'situations' },
  { type: 'SITUATION', situation: 'known' },
  { type: 'HELP' },
  { type: 'HUMAN' },
  { type: 'LANGUAGE' },
  { type: 'SET_LANGUAGE', locale: 'cy' },
  { type: 'DELETE' },
  { type: 'CANCEL' },
  { type: 'CLEAR_CHAT', can: 'all' },
  { type: 'CLEAR_CHAT', can: 'bot' },
  { type: 'CLEAR_CHAT', can: 'none', platform: 'Messenger' },
  { type: 'CLEAR_CONFIRMED', leave: 'nothing' },
  { type: 'CHAT_CLEARED', leave: 'note', deleted: 3, failed: 0, older: false },
  { type: 'CHAT_CLEARED', leave: 'nothing', deleted: 3, failed: 0, older: false },
  { type: 'CHAT_CLEARED', leave: 'nothing', deleted: 2, failed: 1, older: false },
  { type: 'ANSWER', answer: 'yes' },
  { type: 'ANSWER', answer: 'no' },
  { type: 'ANSWER', answer: 'unsure' },
  { type: 'NEXT' },
  { type: 'QUESTION', question: 'shouldPay' },
  { type: 'QUESTION', question: 'takedown' },
  { type: 'SOCIAL', kind: 'thanks' },
  { type: 'SOCIAL', kind: 'ok' },
  { type: 'FACTS', facts: { age: 15 } },
  { type: 'FACTS', facts: { ageGroup: 'adult' } },
  { type: 'FACTS', facts: { paid: true, payMethod: 'giftCard' } },
  { type: 'FACTS', facts: { who: 'partner' } },
  { type: 'FACTS', facts: { images: 'none' } },
  { type: 'FACTS', facts: { writer: 'parent' } },
  { type: 'FACTS', facts: { demand: 'sexual' } },
  { type: 'FACTS', facts: { outing: true } },
  { type: 'INFO' },
  { type: 'UNKNOWN' },
  { type: 'ATTACHMENT' },
  { type: 'SILENCE', check: 'safety' },
  { type: 'HANDOFF_QUEUED' },
  { type: 'HANDOFF_UNAVAILABLE', why: 'closed' },
  { type: 'HANDOFF_UNAVAILABLE', why: 'busy' },
  { type: 'HANDOFF_TIMEOUT' },
  { type: 'HANDLER_JOINED' },
  { type: 'HANDLER_MESSAGE', text: 'Hello, I am a call handler.' },
  { type: 'HANDLER_TRANSFERRED' },
  { type: 'HANDLER_LEFT' },
  { type: 'HANDLER_ENDED' },
];
