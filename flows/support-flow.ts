import { and, assign, enqueueActions, raise, setup } from 'xstate';
import type { Answer } from './intents.js';
import {
  ADVICE_STEPS,
  ANSWER_REPLIES,
  CHOICES,
  CRISIS_CONTACTS_FIRST,
  FOLLOW_UP_REPLIES,
  LOCAL_CRISIS,
  LOCAL_HELPLINES,
  RESUME_REPLIES,
  RISK_REPLIES,
  SILENCE_REPLIES,
  SOCIAL_REPLIES,
  STILL_HERE_REPLIES,
  TAKEDOWN_REPLIES,
} from './replies.js';
import {
  CRISIS_LEVELS,
  EMERGENCY_LEVELS,
  type Facts,
  type HandoffReason,
  higherRisk,
  isChild,
  mergeFacts,
  writesForSomeoneElse,
} from './safeguarding.js';
import { say, SAY_ACTION, type SayParams, sayFirst } from './say.js';
import { SITUATIONS, type SituationId, situationTarget } from './situations.js';
import {
  type GuidedStep,
  GUIDED_STEPS,
  holds,
  initialSupportContext,
  riskKnown,
  type Step,
  type SupportContext,
} from './support-context.js';
import type { Check, MenuPage, ReplyVars, SupportEmitted, SupportEvent } from './support-events.js';

export { initialSupportContext, type SupportContext } from './support-context.js';

/**
 * Bumped whenever a state is renamed, moved or removed, or the context
 * changes shape, so the engine can tell that a stored snapshot no longer
 * fits the machine and restart instead of restoring into a state that does
 * not exist (XState would silently stop).
 */
export const FLOW_VERSION = 3;

const GUIDED: ReadonlySet<Step> = new Set(GUIDED_STEPS);

/** Records the step being shown; leaving the guided steps for a detour remembers where to come back to. */
const enter = (step: Step) => ({ type: 'enterStep', params: { step } }) as const;
const schedule = (check: Check) => ({ type: 'schedule', params: { check } }) as const;
const setHandoff = (status: SupportContext['handoff']) => ({ type: 'setHandoff', params: { status } }) as const;
const handoff = (reason: HandoffReason) => ({ type: 'handoff', params: { reason } }) as const;
const answerIs = (...answers: Answer[]) => ({ type: 'answerIs', params: { answers } }) as const;
const returnTo = (step: GuidedStep) => ({ type: 'returnStepIs', params: { step } }) as const;

/** Says the line that brings someone back to their step, with its buttons. */
const resume = sayFirst(RESUME_REPLIES);

/**
 * Back to the guided steps after a detour: to the step they left, or on
 * past "are you safe?" once a risk reply or the direct question answered it,
 * or to the start when the detour came before anything else.
 */
const resumeGuided = [
  { guard: 'flowNotStarted', target: '#beginGuided' },
  { guard: and([returnTo('safety'), 'safetyAnswered']), target: '#toRoute' },
  ...GUIDED_STEPS.map((step) => ({ guard: returnTo(step), target: `#${step}` })),
  { target: '#toSafety' },
] as const;

/** A risk disclosure: the crisis or danger reply (or the direct question when it is unclear), and a call handler. */
const riskTransitions = [
  { guard: 'unclearOnly', target: '#riskCheck', actions: 'noteRisk' },
  { target: '#risk', actions: ['noteRisk', 'handoffForRisk'] },
] as const;

/** The reply to a risk disclosure while a call handler has the chat: said in place, the handler stays. */
const riskWithHandler = [
  // A hint is for the call handler to follow up: they are reading every message.
  { guard: 'unclearOnly', actions: 'noteRisk' },
  { actions: ['noteRisk', 'handoffForRisk', sayFirst(RISK_REPLIES), say('risk.dangerToo', undefined, { crisis: true, danger: true }), say(LOCAL_CRISIS)] },
] as const;

/**
 * At a step that asks for a fact (age, payment), once the fact is known
 * (from any message, in any words) the step is done: whatever else the
 * message was is answered and the conversation moves on, never asking
 * again. Events whose guard fails fall through to the handlers for every step.
 */
const movesOnWhen = (settled: 'ageSettled' | 'paidKnown', target: string) =>
  ({
    QUESTION: { guard: settled, target, actions: ['noticeChild', 'answerQuestion'] },
    SOCIAL: { guard: settled, target, actions: ['noticeChild', 'socialReply'] },
    ANSWER: { guard: settled, target, actions: 'noticeChild' },
    NEXT: { guard: settled, target, actions: 'noticeChild' },
    UNKNOWN: { guard: settled, target, actions: 'noticeChild' },
  }) as const;

/** The short welcome, when nothing has been said to them yet (see the `welcome` action). */
const welcomeFirst = { type: 'welcome', params: { after: 'risk' } } as const;

/** The first message of a conversation (or after an erase) is handled again inside the conversation, after a short welcome. */
const toFirstMessage = { target: '#firstMessage', actions: 'raiseAgain' } as const;
const firstMessageHandlers = {
  START: '#welcome',
  QUESTION: toFirstMessage,
  SOCIAL: toFirstMessage,
  ANSWER: toFirstMessage,
  NEXT: toFirstMessage,
  INFO: toFirstMessage,
  UNKNOWN: toFirstMessage,
  HELP: toFirstMessage,
  CANCEL: toFirstMessage,
  ATTACHMENT: toFirstMessage,
  SET_LANGUAGE: { target: '#firstMessage', actions: ['noteLocale', 'raiseNext'] },
} as const;

/**
 * What a yes-or-no confirmation ("delete my data", "clear this chat") does
 * with anything but an answer: help or words it cannot place ask again;
 * cancel or carry on change nothing.
 */
const confirmationHandlers = (id: 'confirmDelete' | 'confirmClear', cancelled: string) =>
  ({
    HELP: { target: `#${id}`, reenter: true, actions: say('help.howItWorks') },
    UNKNOWN: { target: `#${id}`, reenter: true, actions: say('unknown.notSure') },
    CANCEL: { target: '#conversation', actions: say(cancelled) },
    NEXT: { target: '#conversation', actions: say(cancelled) },
  }) as const;

/** Steps where the guided conversation is over: a situation told there leads straight to its advice. */
const END_STEPS: readonly Step[] = ['summary', 'menu', 'bluffEmail'];

/** A situation picked from the menu: its advice, from anywhere. */
const toSituation = SITUATIONS.map((situation) => ({
  guard: { type: 'situationIs', params: { situation: situation.id as SituationId } } as const,
  target: situationTarget(situation),
  actions: 'noticeChild' as const,
}));

/** A page of the menu: its buttons, and back to where they were on "carry on". */
const menuPageState = (id: string, key: string, choices: readonly string[]) =>
  ({ id, entry: [enter('menu'), say(key, choices)], on: { NEXT: '#conversation.resuming' } }) as const;

const menuPage = (page: MenuPage) => ({ type: 'menuPageIs', params: { page } }) as const;

/** How the flow answers what is not a step's own answer: the same at every step. */
const anywhere = {
  QUESTION: { actions: ['noticeChild', 'answerQuestion', resume] },
  SOCIAL: [
    { guard: and([{ type: 'socialIs', params: { kind: 'ok' } }, 'atAdviceStep']), actions: 'raiseNext' },
    { guard: { type: 'socialIs', params: { kind: 'ok' } }, actions: ['noticeChild', resume] },
    { guard: { type: 'socialIs', params: { kind: 'bye' } }, actions: 'socialReply' },
    { actions: ['noticeChild', 'socialReply', resume] },
  ],
  ANSWER: [
    { guard: and([answerIs('yes'), 'atAdviceStep']), actions: 'raiseNext' },
    { actions: ['noticeChild', resume] },
  ],
  NEXT: { actions: ['noticeChild', resume] },
  INFO: [
    // Once the guided steps are over, a situation told in words leads to its advice, as picking it from the menu does.
    ...toSituation.map((t) => ({ ...t, guard: and(['atEnd', t.guard]) })),
    { actions: ['noticeChild', say('info.noted'), resume] },
  ],
  // After a crisis reply, words the bot cannot place are most likely about how they feel: the contacts again, never "didn't understand".
  UNKNOWN: [
    { guard: 'emergencyKnown', actions: ['noticeChild', sayFirst(FOLLOW_UP_REPLIES)] },
    { guard: 'crisisKnown', actions: ['noticeChild', sayFirst(STILL_HERE_REPLIES)] },
    { actions: ['noticeChild', say('unknown.notSure'), resume] },
  ],
  ATTACHMENT: { actions: [say('attachment.notNeeded'), resume] },
  HELP: { actions: [say('help.howItWorks'), resume] },
  SET_LANGUAGE: { actions: ['noteLocale', say('language.changed'), resume] },
} as const;

/**
 * The support conversation. Pure and deterministic: no I/O, timers or dates,
 * so a turn can be retried and a persisted snapshot restored on any process
 * (the engine runs it with XState's pure `transition()`). Risk is handled on
 * the root so it wins from every state; questions, social turns and facts
 * are answered at any step without losing the person's place.
 */
export const supportFlow = setup({
  types: {
    context: {} as SupportContext,
    events: {} as SupportEvent,
    emitted: {} as SupportEmitted,
  },
  actions: {
    /** Handles the same event again in the state just entered (the first message, after the welcome). */
    raiseAgain: raise(({ event }) => event),
    raiseNext: raise({ type: 'NEXT' }),
    /** "Yes" or "not sure" to the direct question is a disclosure of suicidal thoughts. */
    raiseThoughts: raise({ type: 'RISK', level: 'thoughts', danger: false }),
    say: enqueueActions(({ context, event, enqueue }, params: SayParams) => {
      const variant = params.variants.find((v) => v.when === undefined || holds(v.when, context, event));
      if (!variant) return;
      const vars: ReplyVars | undefined =
        variant.relayText && event.type === 'HANDLER_MESSAGE'
          ? { text: event.text }
          : variant.platformName && event.type === 'CLEAR_CHAT' && event.platform !== undefined
            ? { platform: event.platform }
            : undefined;
      enqueue.emit({
        type: 'reply',
        key: variant.key,
        ...(vars && { vars }),
        ...(variant.choices && { choices: variant.choices }),
      });
    }),
    answerQuestion: enqueueActions(({ context, event, enqueue }) => {
      const question = event.type === 'QUESTION' || event.type === 'ANSWER' ? event.question : undefined;
      if (question === undefined) return;
      const variant = ANSWER_REPLIES[question].find((v) => v.when === undefined || holds(v.when, context, event));
      if (variant) enqueue.emit({ type: 'reply', key: variant.key });
      if (question === 'whoToCall') enqueue.emit({ type: 'reply', key: LOCAL_HELPLINES });
    }),
    socialReply: enqueueActions(({ event, enqueue }) => {
      if (event.type !== 'SOCIAL' || event.kind === 'ok') return;
      enqueue.emit({ type: 'reply', key: SOCIAL_REPLIES[event.kind] });
    }),
    /** The under-18 message, once, as soon as the person is known to be a child writing for themselves. */
    noticeChild: enqueueActions(({ context, enqueue }) => {
      if (!context.childNoticeDue) return;
      enqueue.emit({ type: 'reply', key: 'under18.message' });
      enqueue.assign({ childNoticeDue: false, seen: context.seen.includes('under18') ? context.seen : [...context.seen, 'under18'] });
    }),
    /**
     * The short welcome, once. After a risk reply to the very first message it
     * follows the crisis reply (they still learn who they are talking to); as
     * the guided steps begin it is said unless a risk reply came first, since a
     * greeting turns after a crisis reply would read oddly.
     */
    welcome: enqueueActions(({ context, enqueue }, params: { after: 'risk' | 'start' }) => {
      if (context.seen.includes('welcome')) return;
      if (params.after === 'risk' ? context.flowStarted : context.seen.includes('risk')) return;
      enqueue.emit({ type: 'reply', key: 'welcome.short' });
      enqueue.assign({ seen: [...context.seen, 'welcome'] });
    }),
    noteFacts: assign(({ context, event }) => {
      if (event.type !== 'FACTS') return {};
      const facts = mergeFacts(context.facts, event.facts);
      const newlyChild = isChild(facts) && !isChild(context.facts);
      const due = context.childNoticeDue || (newlyChild && !writesForSomeoneElse(facts) && !context.seen.includes('under18'));
      return { facts, childNoticeDue: due };
    }),
    noteAnswer: assign(({ context }, params: { facts: Partial<Facts> }) => ({ facts: mergeFacts(context.facts, params.facts) })),
    noteRisk: assign(({ context, event }) => {
      if (event.type !== 'RISK') return {};
      return { risk: higherRisk(context.risk, event.level), danger: context.danger || event.danger, safetyAnswered: true };
    }),
    noteSafe: assign({ safetyAnswered: true }),
    /** A call handler for a crisis or danger disclosure; a child at risk is the most urgent of all. */
    handoffForRisk: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'RISK') return;
      const crisis = event.level !== undefined && CRISIS_LEVELS.includes(event.level);
      if (!crisis && !event.danger) return;
      const reason: HandoffReason = isChild(context.facts) ? 'child-at-risk' : event.danger && !crisis ? 'danger' : 'crisis';
      enqueue.emit({ type: 'handoff', reason });
    }),
    handoff: enqueueActions(({ enqueue }, params: { reason: HandoffReason }) => {
      enqueue.emit({ type: 'handoff', reason: params.reason });
    }),
    /** A child newly known while a crisis or danger is open: the ticket becomes a child at risk. */
    handoffChildAtRisk: enqueueActions(({ enqueue }) => {
      enqueue.emit({ type: 'handoff', reason: 'child-at-risk' });
    }),
    leaveHandoff: enqueueActions(({ enqueue }) => {
      enqueue.emit({ type: 'leaveHandoff' });
    }),
    schedule: enqueueActions(({ enqueue }, params: { check: Check }) => {
      enqueue.emit({ type: 'schedule', check: params.check });
    }),
    erase: enqueueActions(({ enqueue }) => {
      enqueue.emit({ type: 'erase' });
    }),
    /** Asks the engine to clear the chat, leaving a neutral line or nothing (typed "yes" leaves the line). */
    clearChat: enqueueActions(({ event, enqueue }) => {
      enqueue.emit({ type: 'clearChat', leave: event.type === 'CLEAR_CONFIRMED' ? event.leave : 'note' });
    }),
    noteClearable: assign(({ event }) =>
      event.type === 'CLEAR_CHAT' && (event.can === 'all' || event.can === 'bot') ? { clearable: event.can } : {},
    ),
    reset: assign(() => ({ ...initialSupportContext(), locale: undefined, risk: undefined, returnStep: undefined })),
    enterStep: assign(({ context }, params: { step: Step }) => ({
      step: params.step,
      seen: context.seen.includes(params.step) ? context.seen : [...context.seen, params.step],
      ...(!GUIDED.has(params.step) && GUIDED.has(context.step) && { returnStep: context.step as GuidedStep }),
    })),
    startFlow: assign({ flowStarted: true }),
    noteLocale: assign(({ event }) => (event.type === 'SET_LANGUAGE' ? { locale: event.locale } : {})),
    setHandoff: assign((_, params: { status: SupportContext['handoff'] }) => ({ handoff: params.status })),
  },
  guards: {
    answerIs: ({ event }, params: { answers: readonly Answer[] }) => event.type === 'ANSWER' && params.answers.includes(event.answer),
    socialIs: ({ event }, params: { kind: string }) => event.type === 'SOCIAL' && event.kind === params.kind,
    /** The situation picked, or one of those the message told. */
    situationIs: ({ event }, params: { situation: SituationId }) =>
      (event.type === 'SITUATION' && event.situation === params.situation) ||
      (event.type === 'INFO' && (event.situations ?? []).includes(params.situation)),
    menuPageIs: ({ event }, params: { page: MenuPage }) => event.type === 'MENU' && (event.page ?? 'main') === params.page,
    atEnd: ({ context }) => END_STEPS.includes(context.step),
    atAdviceStep: ({ context }) => ADVICE_STEPS.includes(context.step),
    unclearOnly: ({ context, event }) =>
      event.type === 'RISK' && event.level === 'unclear' && !event.danger && !riskKnown(context),
    revealsChildAtRisk: ({ context, event }) =>
      event.type === 'FACTS' && !isChild(context.facts) && isChild(mergeFacts(context.facts, event.facts)) && riskKnown(context),
    isChild: ({ context }) => isChild(context.facts),
    ageSettled: ({ context }) => context.facts.ageGroup !== 'unknown',
    paidIs: ({ context }, params: { paid: boolean }) => context.facts.paid === params.paid,
    paidKnown: ({ context }) => context.facts.paid !== undefined,
    writerIsOther: ({ context }) => writesForSomeoneElse(context.facts),
    bluffEmail: ({ context }) => context.facts.images === 'none',
    askedForMore: ({ context }) => context.facts.demand === 'sexual',
    knowsThem: ({ context }) => context.facts.who === 'partner' || context.facts.who === 'known',
    outing: ({ context }) => context.facts.outing === true,
    riskKnown: ({ context }) => riskKnown(context),
    /** A reply that says "call 999 now" is the last thing said: harmed, imminent or danger. */
    emergencyKnown: ({ context }) => context.danger || (context.risk !== undefined && EMERGENCY_LEVELS.includes(context.risk)),
    /** They have told of thoughts of suicide or worse: the crisis contacts stand. */
    crisisKnown: ({ context }) => context.risk !== undefined && CRISIS_LEVELS.includes(context.risk),
    safetyAnswered: ({ context }) => context.safetyAnswered,
    returnStepIs: ({ context }, params: { step: GuidedStep }) => context.returnStep === params.step,
    flowNotStarted: ({ context }) => !context.flowStarted,
    isQueued: ({ context }) => context.handoff === 'queued',
    silenceIs: ({ event }, params: { check: Check }) => event.type === 'SILENCE' && event.check === params.check,
    /** The platform lets the bot delete nothing, or the engine cannot tell. */
    cannotClear: ({ event }) => event.type === 'CLEAR_CHAT' && event.can !== 'all' && event.can !== 'bot',
    /** The named platform lets the bot delete nothing. */
    cannotClearOnPlatform: ({ event }) => event.type === 'CLEAR_CHAT' && event.can === 'none' && event.platform !== undefined,
  },
}).createMachine({
  id: 'support',
  context: initialSupportContext,
  initial: 'start',
  on: {
    FACTS: [
      { guard: 'revealsChildAtRisk', actions: ['noteFacts', 'handoffChildAtRisk'] },
      { actions: 'noteFacts' },
    ],
    RISK: riskTransitions,
    // A command as the very first message still gets the short welcome first (they learn who they are talking to).
    MENU: [
      { guard: menuPage('more'), target: '#menuMore', reenter: true, actions: welcomeFirst },
      { guard: menuPage('situations'), target: '#menuSituations', reenter: true, actions: welcomeFirst },
      { target: '#menu', reenter: true, actions: welcomeFirst },
    ],
    // Picked before the guided steps began: they begin (are you safe?), and the situation's fact shapes them.
    SITUATION: [{ guard: 'flowNotStarted', target: '#beginGuided' }, ...toSituation],
    HUMAN: { target: '#handoffRequested', reenter: true, actions: [welcomeFirst, handoff('requested')] },
    LANGUAGE: { target: '#language', reenter: true, actions: welcomeFirst },
    DELETE: { target: '#confirmDelete', reenter: true, actions: welcomeFirst },
    CLEAR_CHAT: [
      // The platform deletes nothing: said plainly, naming it, with how to delete the chat by hand.
      { guard: 'cannotClearOnPlatform', actions: ['noticeChild', sayFirst([{ key: 'clear.cannot', platformName: true }]), resume] },
      { guard: 'cannotClear', actions: ['noticeChild', say('clear.cannotHere'), resume] },
      { target: '#confirmClear', reenter: true, actions: 'noteClearable' },
    ],
    // A "clear" button pressed again from an old confirmation: asked afresh, so the reminder about evidence is seen.
    CLEAR_CONFIRMED: { target: '#confirmClear', reenter: true },
    START: { target: '#welcome', reenter: true },
    CANCEL: [
      { guard: 'isQueued', actions: ['leaveHandoff', setHandoff('none'), say('handoff.cancelled', CHOICES.carryOn)] },
      { actions: ['noticeChild', resume] },
    ],
    ...anywhere,
    // Queued after a crisis or danger reply: add that a person will join.
    HANDOFF_QUEUED: { actions: [setHandoff('queued'), say('handoff.queuedAfterRisk')] },
    HANDOFF_UNAVAILABLE: { actions: [] },
    HANDOFF_TIMEOUT: {
      guard: 'isQueued',
      actions: [setHandoff('none'), sayFirst(CRISIS_CONTACTS_FIRST), say('handoff.timeout', CHOICES.carryOn)],
    },
    HANDLER_JOINED: { target: '#withHandler', actions: [setHandoff('withHandler'), say('handoff.joined', CHOICES.withHandler)] },
    SILENCE: {},
  },
  states: {
    /** Quiet until the first message: nothing is sent to someone who has not written. */
    start: { on: firstMessageHandlers },
    /** After an erase: the next message starts afresh, as the very first one did. */
    deleted: { id: 'deleted', on: firstMessageHandlers },
    /**
     * A call handler has the conversation: the bot says nothing of its own but
     * the crisis and danger replies; everything else goes to the handler (the
     * engine records it). "cancel" and "menu" leave the handler's chat.
     */
    withHandler: {
      id: 'withHandler',
      on: {
        RISK: riskWithHandler,
        FACTS: [
          { guard: 'revealsChildAtRisk', actions: ['noteFacts', 'handoffChildAtRisk'] },
          { actions: 'noteFacts' },
        ],
        CANCEL: { target: '#menu', actions: ['leaveHandoff', setHandoff('none'), say('handoff.left')] },
        MENU: { target: '#menu', actions: ['leaveHandoff', setHandoff('none'), say('handoff.left')] },
        HANDLER_MESSAGE: { actions: { type: SAY_ACTION, params: { variants: [{ key: 'handoff.handlerMessage', relayText: true }] } } },
        HANDLER_JOINED: {},
        HANDLER_TRANSFERRED: { target: '#menu', actions: [setHandoff('queued'), say('handoff.transferred')] },
        HANDLER_LEFT: { target: '#menu', actions: [setHandoff('queued'), say('handoff.handlerLeft')] },
        HANDLER_ENDED: { target: '#menu', actions: [setHandoff('none'), say('handoff.ended')] },
        HANDOFF_QUEUED: {},
        HANDOFF_UNAVAILABLE: {},
        '*': {},
      },
    },
    language: {
      id: 'language',
      entry: say('language.choose', ['languages']),
      on: {
        HELP: { target: '#language', reenter: true, actions: say('help.howItWorks') },
        UNKNOWN: { target: '#language', reenter: true, actions: say('unknown.notSure') },
        SET_LANGUAGE: { target: '#conversation', actions: ['noteLocale', say('language.changed')] },
        NEXT: '#conversation',
        CANCEL: '#conversation',
        ANSWER: { guard: answerIs('no'), target: '#conversation' },
      },
    },
    confirmDelete: {
      id: 'confirmDelete',
      entry: say('delete.confirm', ['yes', 'no']),
      on: {
        ...confirmationHandlers('confirmDelete', 'delete.cancelled'),
        ANSWER: [
          { guard: answerIs('yes'), target: '#deleted', actions: ['erase', 'reset', say('delete.done')] },
          { target: '#conversation', actions: say('delete.cancelled') },
        ],
      },
    },
    /** "Clear this chat": asked once, with the reminder that the blackmailer's messages are evidence. */
    confirmClear: {
      id: 'confirmClear',
      entry: [
        enter('clearChat'),
        sayFirst([
          { key: 'clear.confirmBot', choices: CHOICES.confirmClear, when: { clearable: 'bot' } },
          { key: 'clear.confirm', choices: CHOICES.confirmClear },
        ]),
      ],
      on: {
        ...confirmationHandlers('confirmClear', 'clear.cancelled'),
        CLEAR_CONFIRMED: { target: '#clearing', actions: 'clearChat' },
        ANSWER: [
          { guard: answerIs('yes'), target: '#clearing', actions: 'clearChat' },
          { target: '#conversation', actions: say('clear.cancelled') },
        ],
      },
    },
    /** The engine deletes the messages in the same turn and says how it went. */
    clearing: {
      id: 'clearing',
      on: {
        CHAT_CLEARED: {
          target: '#cleared',
          actions: sayFirst([
            { key: 'clear.doneFailed', when: { cleared: 'failed' } },
            { key: 'clear.doneOlder', when: { cleared: 'older' } },
            { key: 'clear.done', when: { cleared: 'note' } },
          ]),
        },
      },
    },
    /** After a clear: the screen is empty, so the next message is met like a first one (what they told is still known). */
    cleared: { id: 'cleared', on: firstMessageHandlers },
    conversation: {
      id: 'conversation',
      initial: 'resuming',
      states: {
        /** Where a detour comes back to. */
        resuming: { always: resumeGuided },
        /** A platform's "start": the full welcome, then the first question. */
        welcome: {
          id: 'welcome',
          entry: [enter('welcome'), say('welcome.intro')],
          always: '#beginGuided',
        },
        /**
         * The first message of a conversation: a short welcome, then what the
         * message said is acted on (the engine's event is raised again here).
         */
        firstMessage: {
          id: 'firstMessage',
          entry: [enter('welcome'), say('welcome.short')],
          on: {
            QUESTION: { target: '#beginGuided', actions: ['noticeChild', 'answerQuestion'] },
            SOCIAL: [
              { guard: { type: 'socialIs', params: { kind: 'bye' } }, target: '#beginGuided', actions: 'socialReply' },
              { guard: { type: 'socialIs', params: { kind: 'greeting' } }, target: '#beginGuided', actions: 'noticeChild' },
              { target: '#beginGuided', actions: ['noticeChild', 'socialReply'] },
            ],
            HELP: { target: '#beginGuided', actions: say('help.howItWorks') },
            ATTACHMENT: { target: '#beginGuided', actions: say('attachment.notNeeded') },
            ANSWER: '#beginGuided',
            NEXT: '#beginGuided',
            INFO: '#beginGuided',
            UNKNOWN: '#beginGuided',
            CANCEL: '#beginGuided',
          },
        },
        /** The guided steps begin: the child message if due, then "are you safe?". */
        beginGuided: {
          id: 'beginGuided',
          entry: ['startFlow', { type: 'welcome', params: { after: 'start' } }, 'noticeChild'],
          always: '#toSafety',
        },
        toSafety: {
          id: 'toSafety',
          always: [{ guard: 'safetyAnswered', target: '#toRoute' }, { guard: 'riskKnown', target: '#toRoute' }, { target: '#safety' }],
        },
        safety: {
          id: 'safety',
          entry: [
            enter('safety'),
            sayFirst([
              { key: 'safety.askOther', choices: CHOICES.safetyFirstOther, when: { writer: 'other' } },
              { key: 'safety.ask', choices: CHOICES.safetyFirst },
            ]),
            schedule('safety'),
          ],
          on: {
            ANSWER: [
              { guard: answerIs('yes'), target: '#toRoute', actions: ['noteSafe', 'answerQuestion', say('safety.glad')] },
              { target: '#riskCheck', actions: ['noteSafe', 'answerQuestion'] },
            ],
            SILENCE: { guard: { type: 'silenceIs', params: { check: 'safety' } }, actions: sayFirst(SILENCE_REPLIES) },
          },
        },
        /** Which route their situation takes. */
        toRoute: {
          id: 'toRoute',
          always: [{ guard: 'bluffEmail', target: '#bluffEmail' }, { target: '#toAge' }],
        },
        bluffEmail: {
          id: 'bluffEmail',
          entry: [
            enter('bluffEmail'),
            sayFirst([
              { key: 'bluffEmail.paid', choices: CHOICES.summary, when: { facts: { paid: true } } },
              { key: 'bluffEmail.advice', choices: CHOICES.summary },
            ]),
          ],
          on: { NEXT: '#menu' },
        },
        toAge: {
          id: 'toAge',
          always: [{ guard: 'ageSettled', target: '#toHelper' }, { target: '#age' }],
        },
        age: {
          id: 'age',
          entry: [
            enter('age'),
            sayFirst([{ key: 'age.askOther', choices: CHOICES.age, when: { writer: 'other' } }, { key: 'age.ask', choices: CHOICES.age }]),
          ],
          on: {
            ...movesOnWhen('ageSettled', '#toHelper'),
            INFO: [
              { guard: 'ageSettled', target: '#toHelper', actions: ['noticeChild', say('age.declined', undefined, { age: 'unknown' })] },
              { actions: ['noticeChild', say('info.noted'), resume] },
            ],
          },
        },
        /** A parent, carer, teacher or friend writing for someone else gets advice addressed to them. */
        toHelper: {
          id: 'toHelper',
          entry: 'noticeChild',
          always: [{ guard: 'writerIsOther', target: '#helper' }, { guard: 'askedForMore', target: '#moreImages' }, { target: '#toPaid' }],
        },
        helper: {
          id: 'helper',
          entry: [
            enter('helper'),
            sayFirst([
              { key: 'helper.teacher', choices: CHOICES.next, when: { facts: { writer: 'teacher' } } },
              { key: 'helper.parent.child', choices: CHOICES.next, when: { facts: { writer: 'parent' }, age: 'child' } },
              { key: 'helper.parent.unknown', choices: CHOICES.next, when: { facts: { writer: 'parent' } } },
              { key: 'helper.friend.child', choices: CHOICES.next, when: { age: 'child' } },
              { key: 'helper.friend.any', choices: CHOICES.next },
            ]),
          ],
          on: { NEXT: '#evidence' },
        },
        /** A child asked for more images or sexual acts, not money. */
        moreImages: {
          id: 'moreImages',
          entry: [
            enter('moreImages'),
            sayFirst([
              { key: 'moreImages.child', choices: CHOICES.next, when: { age: 'child' } },
              { key: 'moreImages.adult', choices: CHOICES.next, when: { age: 'adult' } },
              { key: 'moreImages.unknown', choices: CHOICES.next },
            ]),
          ],
          on: { NEXT: '#toPaid' },
        },
        toPaid: {
          id: 'toPaid',
          always: [
            { guard: { type: 'paidIs', params: { paid: true } }, target: '#paidAdvice' },
            { guard: { type: 'paidIs', params: { paid: false } }, target: '#notPaidAdvice' },
            { guard: 'askedForMore', target: '#contact' },
            { target: '#paid' },
          ],
        },
        paid: {
          id: 'paid',
          entry: [enter('paid'), say('paid.question', CHOICES.paid)],
          on: {
            ...movesOnWhen('paidKnown', '#toPaid'),
            ANSWER: [
              { guard: 'paidKnown', target: '#toPaid', actions: 'noticeChild' },
              { guard: answerIs('yes'), target: '#paidAdvice', actions: { type: 'noteAnswer', params: { facts: { paid: true } } } },
              { guard: answerIs('no'), target: '#notPaidAdvice', actions: { type: 'noteAnswer', params: { facts: { paid: false } } } },
              { actions: resume },
            ],
            INFO: [
              { guard: 'paidKnown', target: '#toPaid', actions: 'noticeChild' },
              { actions: ['noticeChild', say('info.noted'), resume] },
            ],
          },
        },
        paidAdvice: {
          id: 'paidAdvice',
          entry: [
            enter('paidAdvice'),
            sayFirst([
              { key: 'paid.alreadyGiftCard', choices: CHOICES.next, when: { facts: { payMethod: 'giftCard' } } },
              { key: 'paid.alreadyCrypto', choices: CHOICES.next, when: { facts: { payMethod: 'crypto' } } },
              { key: 'paid.already', choices: CHOICES.next },
            ]),
            say('paid.askAnAdult', undefined, { age: 'child' }),
          ],
          on: { NEXT: '#contact' },
        },
        notPaidAdvice: {
          id: 'notPaidAdvice',
          entry: [enter('notPaidAdvice'), say('paid.dontPay', CHOICES.next)],
          on: { NEXT: '#contact' },
        },
        contact: {
          id: 'contact',
          entry: [enter('contact'), say('contact.stop', CHOICES.next)],
          on: { NEXT: '#evidence' },
        },
        evidence: {
          id: 'evidence',
          entry: [
            enter('evidence'),
            sayFirst([{ key: 'evidence.saveOther', choices: CHOICES.next, when: { writer: 'other' } }, { key: 'evidence.save', choices: CHOICES.next }]),
          ],
          on: { NEXT: '#takedown' },
        },
        takedown: {
          id: 'takedown',
          entry: [
            enter('takedown'),
            sayFirst([
              { key: 'takedown.fakeOther', when: { writer: 'other', facts: { images: 'fake' } } },
              { key: 'takedown.fake', when: { facts: { images: 'fake' } } },
            ]),
            sayFirst(TAKEDOWN_REPLIES.map((variant) => ({ ...variant, choices: CHOICES.next }))),
          ],
          on: { NEXT: '#toKnown' },
        },
        toKnown: {
          id: 'toKnown',
          always: [{ guard: 'knowsThem', target: '#knownPerson' }, { target: '#toOuting' }],
        },
        knownPerson: {
          id: 'knownPerson',
          entry: [
            enter('knownPerson'),
            sayFirst([
              { key: 'knownPerson.helper.child', choices: CHOICES.next, when: { writer: 'other', age: 'child' } },
              { key: 'knownPerson.helper.adult', choices: CHOICES.next, when: { writer: 'other', age: 'adult' } },
              { key: 'knownPerson.helper.unknown', choices: CHOICES.next, when: { writer: 'other' } },
              { key: 'knownPerson.child', choices: CHOICES.next, when: { age: 'child' } },
              { key: 'knownPerson.adult', choices: CHOICES.next, when: { age: 'adult' } },
              { key: 'knownPerson.unknown', choices: CHOICES.next },
            ]),
          ],
          on: { NEXT: '#toOuting' },
        },
        toOuting: {
          id: 'toOuting',
          always: [{ guard: 'outing', target: '#outing' }, { target: '#reporting' }],
        },
        outing: {
          id: 'outing',
          entry: [
            enter('outing'),
            sayFirst([{ key: 'outing.helper', choices: CHOICES.next, when: { writer: 'other' } }, { key: 'outing.advice', choices: CHOICES.next }]),
          ],
          on: { NEXT: '#reporting' },
        },
        reporting: {
          id: 'reporting',
          entry: [
            enter('reporting'),
            sayFirst([
              { key: 'report.helper', choices: CHOICES.reporting, when: { writer: 'other' } },
              { key: 'report.child', choices: CHOICES.reporting, when: { age: 'child' } },
              { key: 'report.adult', choices: CHOICES.reporting, when: { age: 'adult' } },
              { key: 'report.unknown', choices: CHOICES.reporting },
            ]),
            say(LOCAL_HELPLINES),
          ],
          on: { NEXT: '#summary' },
        },
        summary: {
          id: 'summary',
          entry: [
            enter('summary'),
            sayFirst([
              { key: 'summary.helper', choices: CHOICES.summary, when: { writer: 'other' } },
              { key: 'summary.child', choices: CHOICES.summary, when: { age: 'child' } },
              { key: 'summary.adult', choices: CHOICES.summary, when: { age: 'adult' } },
              { key: 'summary.unknown', choices: CHOICES.summary },
            ]),
          ],
          on: { NEXT: '#menu' },
        },
        menu: menuPageState('menu', 'menu.intro', CHOICES.menu),
        /** The menu's second page: more questions, and deleting what the bot holds. */
        menuMore: menuPageState('menuMore', 'menu.more', CHOICES.menuMore),
        /** Situations to pick from: each tells its fact and leads to its advice. */
        menuSituations: menuPageState('menuSituations', 'menu.situations', CHOICES.menuSituations),
        /**
         * The reply to a crisis or danger disclosure, worded for what is known.
         * While a 999 reply is the last word (harmed, imminent, danger), what
         * they say next is met with the same urging, never "didn't
         * understand"; after thoughts, the conversation moves on with them.
         */
        risk: {
          id: 'risk',
          entry: [enter('risk'), sayFirst(RISK_REPLIES), say('risk.dangerToo', undefined, { crisis: true, danger: true }), say(LOCAL_CRISIS), { type: 'welcome', params: { after: 'risk' } }, schedule('safety')],
          on: {
            NEXT: '#conversation.resuming',
            INFO: [
              { guard: 'emergencyKnown', actions: ['noticeChild', sayFirst(FOLLOW_UP_REPLIES)] },
              { target: '#conversation.resuming', actions: 'noticeChild' },
            ],
            // No word after a crisis reply: the bot checks on them, as after an unanswered "are you safe?".
            SILENCE: { guard: { type: 'silenceIs', params: { check: 'safety' } }, actions: sayFirst(SILENCE_REPLIES) },
            // Anything else said after a crisis reply is met with the contacts again, never with the next step's question.
            UNKNOWN: [
              { guard: 'emergencyKnown', actions: sayFirst(FOLLOW_UP_REPLIES) },
              { actions: sayFirst(STILL_HERE_REPLIES) },
            ],
            // "help" or "what do i do" while a 999 reply is the last word: what to do is call 999 (otherwise, as anywhere).
            HELP: { guard: 'emergencyKnown', actions: sayFirst(FOLLOW_UP_REPLIES) },
            ANSWER: [
              { guard: 'emergencyKnown', actions: ['noticeChild', sayFirst(FOLLOW_UP_REPLIES)] },
              { actions: ['noticeChild', sayFirst(STILL_HERE_REPLIES)] },
            ],
            SOCIAL: [
              { guard: { type: 'socialIs', params: { kind: 'bye' } }, actions: 'socialReply' },
              { guard: 'emergencyKnown', actions: sayFirst(FOLLOW_UP_REPLIES) },
              // "ok", "thanks" or "I feel a bit better" is the way on.
              { guard: { type: 'socialIs', params: { kind: 'ok' } }, target: '#conversation.resuming', actions: 'noticeChild' },
              { guard: { type: 'socialIs', params: { kind: 'thanks' } }, target: '#conversation.resuming', actions: ['noticeChild', 'socialReply'] },
              { guard: { type: 'socialIs', params: { kind: 'better' } }, target: '#conversation.resuming', actions: ['noticeChild', 'socialReply'] },
              { guard: { type: 'socialIs', params: { kind: 'reassured' } }, target: '#conversation.resuming', actions: ['noticeChild', 'socialReply'] },
              { actions: sayFirst(STILL_HERE_REPLIES) },
            ],
          },
        },
        /** A hint of risk, or "no" to "are you safe?": asked directly and kindly. */
        riskCheck: {
          id: 'riskCheck',
          entry: [
            enter('riskCheck'),
            { type: 'welcome', params: { after: 'risk' } },
            sayFirst([{ key: 'riskCheck.askOther', choices: CHOICES.riskCheck, when: { writer: 'other' } }, { key: 'riskCheck.ask', choices: CHOICES.riskCheck }]),
            schedule('safety'),
          ],
          on: {
            ANSWER: [
              { guard: answerIs('yes', 'unsure'), actions: 'raiseThoughts' },
              { target: '#conversation.resuming', actions: [say('riskCheck.no'), 'answerQuestion'] },
            ],
            SILENCE: { guard: { type: 'silenceIs', params: { check: 'safety' } }, actions: sayFirst(SILENCE_REPLIES) },
          },
        },
        /** Asked for a person: the engine answers in the same turn with HANDOFF_QUEUED or HANDOFF_UNAVAILABLE. */
        handoffRequested: {
          id: 'handoffRequested',
          entry: enter('handoff'),
          on: {
            NEXT: '#conversation.resuming',
            HUMAN: { target: '#handoffRequested', reenter: true, actions: handoff('requested') },
            HANDOFF_QUEUED: { actions: [setHandoff('queued'), sayFirst(CRISIS_CONTACTS_FIRST), say('handoff.queued', CHOICES.queued)] },
            HANDOFF_UNAVAILABLE: {
              actions: [
                sayFirst(CRISIS_CONTACTS_FIRST),
                sayFirst([
                  { key: 'handoff.unavailable.closed', choices: CHOICES.carryOn, when: { unavailable: 'closed' } },
                  { key: 'handoff.unavailable.busy', choices: CHOICES.carryOn },
                ]),
              ],
            },
          },
        },
      },
    },
  },
});

/** The machine's type, for the engine and the key collector. */
export type SupportFlow = typeof supportFlow;
