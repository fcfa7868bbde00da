import { createActor, type Actor, type Snapshot } from 'xstate';
import { supportFlow, type SupportFlow } from '../../flows/support-flow.js';
import type { Reply, SupportEmitted, SupportEvent } from '../../flows/support-events.js';

/**
 * Drives the support flow the way the engine does (one actor per turn is not
 * needed here: one actor, events in, emitted output collected per event), so
 * tests read as conversations rather than XState plumbing.
 */
export class FlowDriver {
  readonly #actor: Actor<SupportFlow>;
  #emitted: SupportEmitted[] = [];

  constructor(snapshot?: Snapshot<unknown>) {
    this.#actor = createActor(supportFlow, snapshot ? { snapshot } : {});
    this.#actor.on('*', (emitted) => this.#emitted.push(emitted));
    this.#actor.start();
  }

  /** Sends one event and returns everything the flow emitted for it. */
  send(event: SupportEvent): SupportEmitted[] {
    this.#emitted = [];
    this.#actor.send(event);
    return this.#emitted;
  }

  /** Sends events in order and returns what the last one emitted. */
  sendAll(events: readonly SupportEvent[]): SupportEmitted[] {
    let last: SupportEmitted[] = [];
    for (const event of events) last = this.send(event);
    return last;
  }

  /** The state value as JSON, the same serialisation the graph tests use. */
  get value(): string {
    return JSON.stringify(this.#actor.getSnapshot().value);
  }

  get context() {
    return this.#actor.getSnapshot().context;
  }

  get status() {
    return this.#actor.getSnapshot().status;
  }

  /** The persisted snapshot after a JSON round trip, as a store would give it back. */
  persisted(): Snapshot<unknown> {
    return JSON.parse(JSON.stringify(this.#actor.getPersistedSnapshot())) as Snapshot<unknown>;
  }

  stop(): void {
    this.#actor.stop();
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

/** A finite set of events covering every event type, for graph traversal and walks. */
export const ALL_EVENTS: readonly SupportEvent[] = [
  { type: 'START' },
  { type: 'CRISIS', danger: false },
  { type: 'CRISIS', danger: true },
  { type: 'DANGER' },
  { type: 'MENU' },
  { type: 'HELP' },
  { type: 'HUMAN' },
  { type: 'LANGUAGE' },
  { type: 'SET_LANGUAGE', locale: 'cy' },
  { type: 'DELETE' },
  { type: 'YES' },
  { type: 'NO' },
  { type: 'NEXT' },
  { type: 'AGE', group: 'under18', age: 15 },
  { type: 'AGE', group: 'adult' },
  { type: 'PAID' },
  { type: 'NOT_PAID' },
  { type: 'KNOWN_PERSON' },
  ...(['evidence', 'blocking', 'deleting', 'reporting', 'takedown', 'crime', 'sextortion', 'whoToCall', 'paying'] as const)
    .map((topic) => ({ type: 'TOPIC', topic }) as const),
  { type: 'FACTS', age: 16 },
  { type: 'FACTS', paid: true },
  { type: 'ATTACHMENT' },
  { type: 'UNKNOWN' },
  { type: 'HANDOFF_QUEUED' },
  { type: 'HANDOFF_UNAVAILABLE' },
  { type: 'CANCEL_HANDOFF' },
  { type: 'HANDOFF_TIMEOUT' },
  { type: 'HANDLER_JOINED' },
  { type: 'HANDLER_MESSAGE', text: 'Hello, I am a call handler.' },
  { type: 'HANDLER_TRANSFERRED' },
  { type: 'HANDLER_LEFT' },
  { type: 'HANDLER_ENDED' },
];
