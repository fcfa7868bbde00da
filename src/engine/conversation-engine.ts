import type { ClearLeave, Reply, SupportEmitted, SupportEvent } from '../../flows/support-events.js';
import { CRISIS_LEVELS, HANDOFF_REASONS, type HandoffReason, isChild, RISK_LEVELS, type RiskLevel } from '../../flows/safeguarding.js';
import type { SupportContext } from '../../flows/support-context.js';
import { type ChatClearer, type DeletionOutcome, MESSAGE_ID_TTL_MS, type MessageIdStore } from '../core/chat-clearing.js';
import { type ConversationKey, conversationKeyToString } from '../core/conversation-key.js';
import { StoreError } from '../core/errors.js';
import type { InboundEvent } from '../core/inbound-event.js';
import type { OutboundMessage } from '../core/outbound-message.js';
import type { ConversationLock, ConversationStore, StoredConversation } from '../core/store.js';
import type { LocaleCatalogue } from '../i18n/locale-catalogue.js';
import type { ReplyRenderer } from '../i18n/reply-renderer.js';
import type { Understander, Understanding } from '../nlu/understanding.js';
import { ENGINE_KEYS } from './engine-keys.js';
import { contextOf, expectingOf, FlowStepper } from './flow-step.js';
import type { CheckScheduler, HandoffFacts, HandoffPort, RaisedFlag, TurnRecord } from './handoff-port.js';
import { interpretPayload } from './interpret.js';
import { typedChoice } from './typed-choice.js';
import { admitMessage, DEFAULT_RATE_LIMIT, type RateLimit } from './rate-limit.js';
import { FLOW_VERSION } from '../../flows/support-flow.js';

/** What one turn produced, for the channel and for metrics. */
export interface TurnResult {
  readonly messages: readonly OutboundMessage[];
  /** The language the messages are in. */
  readonly locale: string;
  /** Risk seen in this turn's message. */
  readonly risk?: RiskLevel;
  readonly danger: boolean;
  /** Why the flow asked for a call handler in this turn, if it did. */
  readonly handoff?: HandoffReason;
  /** The request for a call handler put the person in the queue. */
  readonly handoffQueued?: boolean;
  /** The person's data was erased in this turn. */
  readonly erased: boolean;
  /** The message was over the rate limit and was not run through the flow. */
  readonly rateLimited: boolean;
  /** The chat was cleared in this turn: how many messages the platform deleted and how many it would not. */
  readonly cleared?: { readonly deleted: number; readonly failed: number };
}

/** Everything the engine depends on, passed in. */
export interface ConversationEngineOptions {
  readonly store: ConversationStore;
  readonly lock: ConversationLock;
  readonly understander: Understander;
  readonly catalogue: LocaleCatalogue;
  readonly renderer: ReplyRenderer;
  readonly rateLimit?: RateLimit;
  readonly now?: () => number;
  /** Longest text looked at; the rest of a huge message is ignored. */
  readonly maxTextLength?: number;
  /** The call-handler queue; without it a request for a person is answered with the other routes. */
  readonly handoff?: HandoffPort;
  /** Runs the flow's "no answer" checks; without it they are not run. */
  readonly checks?: CheckScheduler;
  /** How long after "are you safe right now?" an unanswered question is followed up. */
  readonly safetyCheckMs?: number;
  /**
   * "Clear this chat": where message ids are kept and the channels' side of
   * deleting them. Without it the person is told how to clear the chat by hand.
   */
  readonly clearing?: ChatClearing;
}

/** What the engine needs to clear a chat: the kept ids and the channels that delete them. */
export interface ChatClearing {
  readonly ids: MessageIdStore;
  readonly clearer: ChatClearer;
}

/** Default wait before following up an unanswered "are you safe right now?". */
export const DEFAULT_SAFETY_CHECK_MS = 10 * 60_000;

/**
 * The single, channel-free entry point for a person's message. A turn is a
 * pure decision plus effects: load the snapshot; understand the message;
 * run the events through the flow with XState's `transition()`; carry out
 * what the flow asked for (queue a call handler, leave the queue, erase,
 * schedule a check), feeding outcomes back as events; save once. One store
 * read and at most one write per message, under a per-conversation lock so
 * one person's messages are handled in order.
 */
export class ConversationEngine {
  readonly #o: ConversationEngineOptions;
  readonly #rateLimit: RateLimit;
  readonly #now: () => number;
  readonly #maxTextLength: number;
  readonly #safetyCheckMs: number;
  readonly #isAvailable: (code: string) => boolean;
  readonly #labelsOf: (choiceId: string) => readonly string[];
  readonly #flow = new FlowStepper();

  constructor(options: ConversationEngineOptions) {
    const { rateLimit = DEFAULT_RATE_LIMIT, now = Date.now, maxTextLength = 20_000, safetyCheckMs = DEFAULT_SAFETY_CHECK_MS } = options;
    this.#o = options;
    this.#rateLimit = rateLimit;
    this.#now = now;
    this.#maxTextLength = maxTextLength;
    this.#safetyCheckMs = safetyCheckMs;
    this.#isAvailable = (code) => options.catalogue.match(code) !== undefined;
    this.#labelsOf = (choiceId) => options.catalogue.locales.map((locale) => options.renderer.choiceLabel(choiceId, locale));
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
    const { catalogue, renderer } = this.#o;
    const now = this.#now();
    const keptIds = this.#o.clearing?.ids;
    const kept = event.deletableId === undefined ? undefined : { id: event.deletableId, from: 'person' as const, at: event.sentAt ?? now };
    // The message's id is kept (again, harmlessly, for a turn run before) alongside the read, in the same round trip.
    const [stored] = await Promise.all([
      this.#storeCall(() => this.#o.store.read(key)),
      kept && keptIds ? this.#storeCall(() => keptIds.add(key, [kept])) : undefined,
    ]);
    if (turnId !== undefined && stored?.lastTurn?.id === turnId) {
      const { locale, replies } = stored.lastTurn;
      return { messages: renderer.render(replies, locale), locale, danger: false, erased: false, rateLimited: false };
    }
    const restored = this.#flow.restore(stored);
    let snapshot = restored.snapshot;
    const before = contextOf(snapshot);

    // With a call handler, typed words (a bare "2" too) are for the handler, never a press.
    const offered = restored.restarted || before.handoff === 'withHandler' ? undefined : stored?.offered;
    const payload = typedChoice(event, offered, this.#labelsOf) ?? event.payload;
    const typed = payload.type === 'text' ? payload.text : payload.type === 'attachment' ? payload.caption : undefined;
    const conversationLocale = this.#conversationLocale(before, stored, event);
    const understanding =
      typed === undefined
        ? undefined
        : this.#o.understander.understand(clean(typed, this.#maxTextLength), { locale: conversationLocale, expecting: expectingOf(before) });
    // Crisis and danger are always answered, even over the rate limit (a mere hint is not).
    const risky = understanding !== undefined && (understanding.danger || (understanding.risk !== undefined && understanding.risk !== 'unclear'));
    // Explicit choice first; then the language the text is clearly written in; then the conversation's own.
    const locale = (before.locale && catalogue.match(before.locale)) ?? (understanding?.language && catalogue.match(understanding.language)) ?? conversationLocale;

    const fromPerson = payload.type !== 'handler' && payload.type !== 'timer';
    const limit = fromPerson ? admitMessage(stored?.recent ?? [], now, this.#rateLimit) : { recent: [...(stored?.recent ?? [])], allowed: true };
    if (!limit.allowed && !risky && payload.type !== 'choice') {
      const replies = [{ key: ENGINE_KEYS.rateLimited }];
      const lastTurn = turnId === undefined ? undefined : { id: turnId, locale, replies };
      if (stored) await this.#write(key, { ...stored, recent: limit.recent, updatedAt: now, ...(lastTurn && { lastTurn }) });
      return { messages: renderer.render(replies, locale), locale, ...riskOf(understanding), erased: false, rateLimited: true };
    }

    const replies: Reply[] = restored.restarted ? [{ key: ENGINE_KEYS.restarted }] : [];
    const effects: SupportEmitted[] = [];
    const run = (e: SupportEvent) => {
      const step = this.#flow.step(snapshot, e);
      snapshot = step.snapshot;
      for (const emitted of step.emitted) {
        if (emitted.type === 'reply') replies.push(emitted);
        else effects.push(emitted);
      }
    };
    const events = interpretPayload(payload, understanding, {
      offered: restored.restarted ? undefined : stored?.offered,
      isAvailableLocale: this.#isAvailable,
      expecting: expectingOf(before),
      withHandler: before.handoff === 'withHandler',
    });
    for (const e of events) run(e.type === 'CLEAR_CHAT' ? { ...e, ...(await this.#clearSupport(event.key)) } : e);
    const marks = riskMarks(before, contextOf(snapshot), stored, now);

    // Effects, in the order the flow asked for them; a handoff's outcome goes back into the flow.
    const handoff = mostUrgent(effects);
    let handoffQueued = false;
    let erased = false;
    let cleared: TurnResult['cleared'];
    if (handoff !== undefined) {
      const context = contextOf(snapshot);
      const status = this.#o.handoff ? await this.#o.handoff.request(event.key, handoffFacts(handoff, context, locale, marks), now) : 'closed';
      handoffQueued = status === 'queued';
      run(status === 'queued' ? { type: 'HANDOFF_QUEUED' } : { type: 'HANDOFF_UNAVAILABLE', why: status });
    }
    for (const effect of effects) {
      if (effect.type === 'leaveHandoff') await this.#o.handoff?.leave(event.key, now);
      else if (effect.type === 'erase') erased = true;
      else if (effect.type === 'clearChat') {
        const outcome = await this.#clear(event.key, key, effect.leave, stored, now);
        cleared = { deleted: outcome.deleted, failed: outcome.failed };
        run(outcome);
      }
      else if (effect.type === 'schedule') await this.#o.checks?.schedule(event.key, effect.check, now + this.#safetyCheckMs);
    }

    const after = contextOf(snapshot);
    const replyLocale = (after.locale && catalogue.match(after.locale)) ?? locale;
    const messages = renderer.render(replies, replyLocale);
    if (erased) {
      await this.erase(key);
      if (keptIds) await this.#storeCall(() => keptIds.erase(key));
      await this.#o.handoff?.erase(event.key);
      await this.#o.checks?.erase(key);
    } else {
      // A conversation stored before this was kept has no start: its oldest messages are unknown.
      const since = stored ? stored.since : now;
      const shown = messages.flatMap((m) => m.choices.map((c) => c.id));
      const offeredNow = shown.length > 0 ? shown : restored.restarted ? undefined : stored?.offered;
      await this.#write(key, {
        flowVersion: FLOW_VERSION,
        snapshot: this.#flow.persist(snapshot),
        ...(offeredNow && { offered: offeredNow }),
        recent: limit.recent,
        updatedAt: now,
        locale: replyLocale,
        ...(since !== undefined && { since }),
        ...(turnId !== undefined && { lastTurn: { id: turnId, locale: replyLocale, replies } }),
        ...marks,
      });
    }
    // What they told while waiting or with a handler reaches the ticket, so the handler's summary is current.
    if (this.#o.handoff && !erased && handoff === undefined && before.handoff !== 'none' && after.handoff !== 'none' && toldMore(before, after, stored, marks)) {
      await this.#o.handoff.update(event.key, handoffFacts('requested', after, replyLocale, marks), now);
    }
    // The handler's own messages are recorded by the console when sent; everything else while a handoff is open is recorded here.
    const handlerMessage = payload.type === 'handler' && payload.action === 'message';
    if (this.#o.handoff && !erased && !handlerMessage && (before.handoff !== 'none' || after.handoff !== 'none' || handoffQueued)) {
      await this.#o.handoff.record(event.key, { ...this.#turnRecord(payload, messages, replyLocale), ...raisedFlag(understanding) }, now);
    }
    return { messages, locale: replyLocale, ...riskOf(understanding), ...(handoff && { handoff }), handoffQueued, erased, rateLimited: false, ...(cleared && { cleared }) };
  }

  /**
   * The conversation's language before this message: the one used with them
   * last; a platform's hint on a first message; else the default.
   */
  #conversationLocale(context: SupportContext, stored: StoredConversation | undefined, event: InboundEvent): string {
    const { catalogue } = this.#o;
    if (context.locale) {
      const chosen = catalogue.match(context.locale);
      if (chosen) return chosen;
    }
    if (stored?.locale !== undefined) {
      const last = catalogue.match(stored.locale);
      if (last) return last;
    }
    return catalogue.resolve(event.localeHint);
  }

  /** What the conversation's platform lets the bot delete, for the flow's CLEAR_CHAT; nothing known without a clearer. */
  async #clearSupport(conversation: ConversationKey): Promise<{ can?: 'all' | 'bot' | 'none'; platform?: string }> {
    if (!this.#o.clearing) return {};
    try {
      const support = await this.#o.clearing.clearer.support(conversation);
      return support.kind === 'none' ? { can: 'none', platform: support.platform } : { can: support.kind };
    } catch {
      // Not knowing what the platform allows: the person is told how to clear the chat by hand.
      return {};
    }
  }

  /**
   * Deletes the conversation's kept messages through its channel and says
   * how it went. Ids the platform deleted are forgotten; any it did not are
   * kept and counted as failed, so the person is told. A channel that throws
   * (it should report failures instead) fails every id, never the turn.
   */
  async #clear(
    conversation: ConversationKey,
    key: string,
    leave: ClearLeave,
    stored: StoredConversation | undefined,
    now: number,
  ): Promise<Extract<SupportEvent, { type: 'CHAT_CLEARED' }>> {
    const since = stored?.since;
    const older = since === undefined || since <= now - MESSAGE_ID_TTL_MS;
    const clearing = this.#o.clearing;
    if (!clearing) return { type: 'CHAT_CLEARED', leave, deleted: 0, failed: 0, older: true };
    const kept = await this.#storeCall(() => clearing.ids.list(key, now));
    let outcome: DeletionOutcome = { deleted: [], failed: [] };
    if (kept.length > 0) {
      try {
        outcome = await clearing.clearer.delete(conversation, kept);
      } catch {
        outcome = { deleted: [], failed: kept.map((m) => m.id) };
      }
    }
    if (outcome.deleted.length > 0) await this.#storeCall(() => clearing.ids.remove(key, outcome.deleted));
    return { type: 'CHAT_CLEARED', leave, deleted: outcome.deleted.length, failed: outcome.failed.length, older };
  }

  /** The transcript's record of a turn: a button appears as the label the person saw, never as its id. */
  #turnRecord(payload: InboundEvent['payload'], messages: readonly OutboundMessage[], locale: string): TurnRecord {
    return {
      ...(payload.type === 'text' && { personText: payload.text }),
      ...(payload.type === 'choice' && { personChoice: { id: payload.choiceId, label: this.#o.renderer.choiceLabel(payload.choiceId, locale) } }),
      ...(payload.type === 'attachment' && { personAttachment: payload.attachment }),
      botTexts: messages.map((m) => m.text),
    };
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

/** The turn's risk, for the result (and metrics). */
function riskOf(u: Understanding | undefined): { risk?: RiskLevel; danger: boolean } {
  return { ...(u?.risk !== undefined && { risk: u.risk }), danger: u?.danger ?? false };
}

/** Of the handoffs the flow asked for in one turn, the most urgent (a child at risk first). */
function mostUrgent(effects: readonly SupportEmitted[]): HandoffReason | undefined {
  let best: HandoffReason | undefined;
  for (const effect of effects) {
    if (effect.type !== 'handoff') continue;
    if (best === undefined || HANDOFF_REASONS.indexOf(effect.reason) > HANDOFF_REASONS.indexOf(best)) best = effect.reason;
  }
  return best;
}

/** When the risk rose and danger was first told: now if it happened this turn, else as stored, and only while it holds. */
function riskMarks(before: SupportContext, after: SupportContext, stored: StoredConversation | undefined, now: number): RiskMarks {
  const rose = after.risk !== undefined && (before.risk === undefined || RISK_LEVELS.indexOf(after.risk) > RISK_LEVELS.indexOf(before.risk));
  const riskAt = after.risk === undefined ? undefined : rose ? now : (stored?.riskAt ?? now);
  const dangerAt = !after.danger ? undefined : !before.danger ? now : (stored?.dangerAt ?? now);
  return { ...(riskAt !== undefined && { riskAt }), ...(dangerAt !== undefined && { dangerAt }) };
}

/** When the risk rose and danger was first told (see {@link riskMarks}). */
interface RiskMarks {
  readonly riskAt?: number;
  readonly dangerAt?: number;
}

/** Whether this turn told the flow anything a call handler's summary shows. */
function toldMore(before: SupportContext, after: SupportContext, stored: StoredConversation | undefined, marks: RiskMarks): boolean {
  const shown = (c: SupportContext) => JSON.stringify([c.facts, c.risk, c.danger, c.seen]);
  return shown(before) !== shown(after) || marks.riskAt !== stored?.riskAt || marks.dangerAt !== stored?.dangerAt;
}

/** What the person's message raised, for the transcript: a crisis disclosure, or danger from someone. */
function raisedFlag(u: Understanding | undefined): { flag?: RaisedFlag } {
  if (u?.danger) return { flag: 'danger' };
  if (u?.risk !== undefined && CRISIS_LEVELS.includes(u.risk)) return { flag: 'crisis' };
  return {};
}

/** The queue item's facts, from the flow's context (never the person's words). */
function handoffFacts(reason: HandoffReason, context: SupportContext, locale: string, marks: RiskMarks): HandoffFacts {
  return {
    ...marks,
    reason,
    locale: context.locale ?? locale,
    flags: {
      crisis: context.risk !== undefined && CRISIS_LEVELS.includes(context.risk),
      danger: context.danger,
      under18: isChild(context.facts),
    },
    facts: context.facts,
    ...(context.risk !== undefined && { risk: context.risk }),
    stepsSeen: context.seen,
  };
}

/** Strips control and bidi-override characters and caps the length before understanding. */
function clean(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  return text.slice(0, max).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, ' ');
}
