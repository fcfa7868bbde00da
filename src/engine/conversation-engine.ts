import { createActor, type Snapshot } from 'xstate';
import { FLOW_VERSION, type SupportContext, supportFlow } from '../../flows/support-flow.js';
import type { Reply, SupportEmitted } from '../../flows/support-events.js';
import { conversationKeyToString } from '../core/conversation-key.js';
import { StoreError, TurnError } from '../core/errors.js';
import type { InboundEvent } from '../core/inbound-event.js';
import type { OutboundMessage } from '../core/outbound-message.js';
import type { ConversationLock, ConversationStore, StoredConversation } from '../core/store.js';
import type { LocaleCatalogue } from '../i18n/locale-catalogue.js';
import type { ReplyRenderer } from '../i18n/reply-renderer.js';
import type { Understanding } from '../nlu/understanding.js';
import { ENGINE_KEYS } from './engine-keys.js';
import type { HandoffFacts, HandoffPort, HandoffReason, TurnRecord } from './handoff-port.js';
import { interpretPayload } from './interpret.js';
import { admitMessage, DEFAULT_RATE_LIMIT, type RateLimit } from './rate-limit.js';

/** The free-text understanding the engine needs (see src/nlu). */
export interface TextUnderstander {
  understand(text: string, locale: string): Understanding;
}

/** What one turn produced, for the channel and for later stages (handoff, metrics). */
export interface TurnResult {
  readonly messages: readonly OutboundMessage[];
  /** The language the messages are in. */
  readonly locale: string;
  /** Risk seen in this turn's message. */
  readonly crisis: boolean;
  readonly danger: boolean;
  /** Why the flow asked for a human in this turn, if it did. */
  readonly handoff?: Extract<SupportEmitted, { type: 'handoff' }>['reason'];
  /** The request for a human put the person in the queue (a call handler can come). */
  readonly handoffQueued?: boolean;
  /** The person's data was erased in this turn. */
  readonly erased: boolean;
  /** The message was over the rate limit and was not run through the flow. */
  readonly rateLimited: boolean;
}

/** Everything the engine depends on, passed in. */
export interface ConversationEngineOptions {
  readonly store: ConversationStore;
  readonly lock: ConversationLock;
  readonly understander: TextUnderstander;
  readonly catalogue: LocaleCatalogue;
  readonly renderer: ReplyRenderer;
  readonly rateLimit?: RateLimit;
  readonly now?: () => number;
  /** Longest text looked at; the rest of a huge message is ignored. */
  readonly maxTextLength?: number;
  /** The call-handler queue; without it a request for a person is answered with the other routes. */
  readonly handoff?: HandoffPort;
}

type FlowSnapshot = Snapshot<unknown> & { context?: Partial<SupportContext> };

/**
 * The single, channel-free entry point for a person's message: load the
 * conversation, run the flow, save it, and return the replies in the person's
 * language. One store read and at most one write per message, under a
 * per-conversation lock so one person's messages are handled in order.
 */
export class ConversationEngine {
  readonly #o: Required<Omit<ConversationEngineOptions, 'rateLimit' | 'now' | 'maxTextLength' | 'handoff'>>;
  readonly #handoff: HandoffPort | undefined;
  readonly #rateLimit: RateLimit;
  readonly #now: () => number;
  readonly #maxTextLength: number;
  readonly #isAvailable: (code: string) => boolean;

  constructor({ rateLimit = DEFAULT_RATE_LIMIT, now = Date.now, maxTextLength = 20_000, handoff, ...deps }: ConversationEngineOptions) {
    this.#o = deps;
    this.#handoff = handoff;
    this.#rateLimit = rateLimit;
    this.#now = now;
    this.#maxTextLength = maxTextLength;
    this.#isAvailable = (code) => deps.catalogue.match(code) !== undefined;
  }

  /**
   * Handles one inbound event and returns what to send back. `turnId` is the
   * durable inbox entry id, when there is one: a turn already saved under that
   * id is not run again, its replies are returned again instead.
   */
  async handle(event: InboundEvent, { turnId }: { turnId?: string } = {}): Promise<TurnResult> {
    const key = conversationKeyToString(event.key);
    return this.#o.lock.runExclusive(key, () => this.#turn(key, event, turnId));
  }

  /** Erases everything held about a conversation (also reachable through the flow's "delete my data"). */
  async erase(key: string): Promise<void> {
    await this.#storeCall(() => this.#o.store.delete(key));
  }

  async #turn(key: string, event: InboundEvent, turnId: string | undefined): Promise<TurnResult> {
    const stored = await this.#storeCall(() => this.#o.store.read(key));
    if (turnId !== undefined && stored?.lastTurn?.id === turnId) {
      const { locale, replies } = stored.lastTurn;
      return { messages: this.#o.renderer.render(replies, locale), locale, crisis: false, danger: false, erased: false, rateLimited: false };
    }
    const now = this.#now();
    const usable = stored?.flowVersion === FLOW_VERSION ? (stored.snapshot as FlowSnapshot) : undefined;
    // No hint (a call handler's message, a time-out): the language last used with this person.
    const hintLocale =
      event.localeHint === undefined && stored?.locale !== undefined
        ? (this.#o.catalogue.match(stored.locale) ?? this.#o.catalogue.resolve(undefined))
        : this.#o.catalogue.resolve(event.localeHint);
    const chosenLocale = usable?.context?.locale;
    const locale = (chosenLocale && this.#o.catalogue.match(chosenLocale)) ?? hintLocale;

    const payload = event.payload;
    const typed = payload.type === 'text' ? payload.text : payload.type === 'attachment' ? payload.caption : undefined;
    const understanding = typed === undefined ? undefined : this.#o.understander.understand(clean(typed, this.#maxTextLength), locale);
    const crisis = understanding?.crisis ?? false;
    const danger = understanding?.danger ?? false;

    const fromPerson = payload.type !== 'handler';
    const limit = fromPerson ? admitMessage(stored?.recent ?? [], now, this.#rateLimit) : { recent: [...(stored?.recent ?? [])], allowed: true };
    if (!limit.allowed && !crisis && !danger && payload.type !== 'choice') {
      const replies = [{ key: ENGINE_KEYS.rateLimited }];
      const lastTurn = turnId === undefined ? undefined : { id: turnId, locale, replies };
      if (stored) await this.#write(key, { ...stored, recent: limit.recent, updatedAt: now, ...(lastTurn && { lastTurn }) });
      const messages = this.#o.renderer.render(replies, locale);
      return { messages, locale, crisis, danger, erased: false, rateLimited: true };
    }

    const replies: Reply[] = [];
    let handoff: TurnResult['handoff'];
    let handoffQueued = false;
    let erased = false;
    const collect = (emitted: SupportEmitted) => {
      if (emitted.type === 'reply') replies.push(emitted);
      else if (emitted.type === 'erase') erased = true;
      else if (emitted.type === 'handoff') handoff ??= emitted.reason;
    };
    let actor = this.#startActor(usable, collect);
    // A snapshot from an older flow (or one that no longer restores) starts again politely at the menu.
    const restarted = stored !== undefined && (!usable || actor.getSnapshot().status !== 'active');
    if (restarted) {
      actor.stop();
      replies.push({ key: ENGINE_KEYS.restarted });
      actor = this.#startActor(undefined, collect);
    }

    const snapshot = actor.getSnapshot();
    const offered = restarted ? undefined : stored?.offered;
    const handoffBefore = (snapshot.context as SupportContext).handoff;
    const events = interpretPayload(payload, understanding, (e) => snapshot.can(e), this.#isAvailable, offered, handoffBefore);
    const risky = events.some((e) => e.type === 'CRISIS' || e.type === 'DANGER');
    for (const e of restarted && !risky ? [{ type: 'MENU' } as const] : events) actor.send(e);
    if (handoff !== undefined) {
      // Queue inside the turn, so the flow can tell the person at once whether a call handler will come.
      const context = actor.getSnapshot().context as SupportContext;
      const status = this.#handoff ? await this.#handoff.request(event.key, handoffFacts(handoff, context, locale), now) : 'unavailable';
      handoffQueued = status === 'queued';
      actor.send({ type: handoffQueued ? 'HANDOFF_QUEUED' : 'HANDOFF_UNAVAILABLE' });
    }
    const after = actor.getSnapshot();
    if (after.status !== 'active') {
      actor.stop();
      throw new TurnError(`flow ended in status ${after.status}`, { cause: after.error });
    }
    // The person left the queue or the handler's chat themselves ("cancel", "menu"); an erase removes the ticket below.
    const left = fromPerson && !erased && handoffBefore !== 'none' && (after.context as SupportContext).handoff === 'none';
    if (this.#handoff && left) await this.#handoff.cancel(event.key, now);
    const persisted = actor.getPersistedSnapshot() as FlowSnapshot;
    actor.stop();

    const replyLocale = (persisted.context?.locale && this.#o.catalogue.match(persisted.context.locale)) ?? locale;
    const messages = this.#o.renderer.render(replies, replyLocale);
    if (erased) {
      await this.erase(key);
      await this.#handoff?.erase(event.key);
    } else {
      const shown = messages.flatMap((m) => m.choices.map((c) => c.id));
      const offeredNow = shown.length > 0 ? shown : offered;
      await this.#write(key, {
        flowVersion: FLOW_VERSION,
        snapshot: persisted,
        ...(offeredNow && { offered: offeredNow }),
        recent: limit.recent,
        updatedAt: now,
        locale: replyLocale,
        ...(turnId !== undefined && { lastTurn: { id: turnId, locale: replyLocale, replies } }),
      });
    }
    const handoffAfter = persisted.context?.handoff ?? 'none';
    // The handler's own messages are recorded by the console when sent; everything else while a handoff is open is recorded here.
    const handlerMessage = payload.type === 'handler' && payload.action === 'message';
    if (this.#handoff && !erased && !handlerMessage && (handoffBefore !== 'none' || handoffAfter !== 'none')) {
      await this.#handoff.record(event.key, turnRecord(payload, messages), now);
    }
    return { messages, locale: replyLocale, crisis, danger, handoff, handoffQueued, erased, rateLimited: false };
  }

  #startActor(snapshot: FlowSnapshot | undefined, collect: (emitted: SupportEmitted) => void) {
    const actor = createActor(supportFlow, snapshot ? { snapshot } : {});
    actor.on('*', collect);
    // A snapshot that no longer restores puts the actor in status 'error'; observing errors keeps XState
    // from rethrowing it asynchronously, and the turn checks the status instead.
    actor.subscribe({ error: () => undefined });
    actor.start();
    return actor;
  }

  async #write(key: string, value: StoredConversation): Promise<void> {
    await this.#storeCall(() => this.#o.store.write(key, value));
  }

  async #storeCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StoreError('conversation store failed', { cause: error });
    }
  }
}

/** The queue item's facts, from the flow's context (never the person's words). */
function handoffFacts(reason: HandoffReason, context: SupportContext, locale: string): HandoffFacts {
  return {
    reason,
    locale: context.locale ?? locale,
    flags: context.flags,
    ageGroup: context.ageGroup,
    ...(context.age !== undefined && { age: context.age }),
    ...(context.paid !== undefined && { paid: context.paid }),
    knownPerson: context.knownPerson,
    stepsSeen: context.seen,
  };
}

function turnRecord(payload: InboundEvent['payload'], messages: readonly OutboundMessage[]): TurnRecord {
  return {
    ...(payload.type === 'text' && { personText: payload.text }),
    ...(payload.type === 'choice' && { personChoice: payload.choiceId }),
    ...(payload.type === 'attachment' && { personAttachment: payload.attachment }),
    botTexts: messages.map((m) => m.text),
  };
}

/** Strips control and bidi-override characters and caps the length before understanding. */
function clean(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  return text.slice(0, max).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, ' ');
}

