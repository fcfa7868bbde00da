import { and, assign, emit, enqueueActions, not, setup } from 'xstate';
import type { ReplyVars, SupportEmitted, SupportEvent, Topic } from './support-events.js';

/**
 * Bumped whenever a state is renamed, moved or removed, so the engine can tell
 * that a stored snapshot no longer fits the machine and restart instead of
 * restoring into a state that does not exist (XState would silently stop).
 */
export const FLOW_VERSION = 2;

/** The steps of the guided flow, recorded when shown so a summary or a call handler knows what was covered. */
export type Step =
  | 'welcome' | 'safety' | 'age' | 'under18' | 'paid' | 'paidAdvice' | 'notPaidAdvice'
  | 'contact' | 'dontDelete' | 'evidence' | 'takedown' | 'knownPerson' | 'reporting' | 'summary';

/**
 * Everything the flow remembers about one person. Kept small and JSON-safe
 * because it is persisted after every turn; it never holds their words.
 */
export interface SupportContext {
  /** The language they chose; unset means the engine's own guess from the platform. */
  locale?: string;
  age?: number;
  ageGroup: 'unknown' | 'under18' | 'adult';
  /** true: they paid; false: they have not; unset: not known yet. */
  paid?: boolean;
  knownPerson: boolean;
  /** Sticky safeguarding facts: once disclosed they shape every later reply. */
  flags: { crisis: boolean; danger: boolean; under18: boolean };
  seen: Step[];
  /** False until the guided flow has been entered since the start or the last erase (guards stale history). */
  flowStarted: boolean;
  /** Where the person is with a call handler: not asked, waiting in the queue, or talking to one. */
  handoff: 'none' | 'queued' | 'withHandler';
}

/**
 * Who a reply is for. A step's child and adult wording are both listed in its
 * entry actions and the matching one is sent, so keys stay static and a step
 * re-entered through history still picks the right wording for what is known now.
 */
export type Audience = 'child' | 'adult' | 'under19' | 'notUnder19';

/** Parameters of the `say` action: a locale key, its variables and button ids, all static. */
export interface SayParams {
  readonly key: string;
  readonly vars?: ReplyVars;
  readonly choices?: readonly string[];
  readonly when?: Audience;
  /** Pass the event's `text` (a call handler's message) as the `text` variable. */
  readonly relayText?: boolean;
}

/** A fresh context: nothing known. Also what an erase resets to. */
export function initialSupportContext(): SupportContext {
  return {
    ageGroup: 'unknown',
    knownPerson: false,
    flags: { crisis: false, danger: false, under18: false },
    seen: [],
    flowStarted: false,
    handoff: 'none',
  };
}

/** Known to be under 18 at any point: child routes from then on, even if a later message says otherwise. */
function isChild(context: SupportContext): boolean {
  return context.flags.under18;
}

function isUnder19(context: SupportContext): boolean {
  return isChild(context) || (context.age !== undefined && context.age < 19);
}

function matchesAudience(context: SupportContext, when: Audience): boolean {
  switch (when) {
    case 'child': return isChild(context);
    case 'adult': return !isChild(context);
    case 'under19': return isUnder19(context);
    case 'notUnder19': return !isUnder19(context);
  }
}

/** True when this event tells us, for the first time, that the person is under 18. */
function revealsChild(context: SupportContext, event: SupportEvent): boolean {
  if (context.flags.under18) return false;
  if (event.type === 'AGE') return event.group === 'under18' || (event.age !== undefined && event.age < 18);
  if (event.type === 'FACTS') return event.age !== undefined && event.age < 18;
  return false;
}

/** Applies an age disclosure (AGE or FACTS) to the context. */
function withAge(context: SupportContext, age: number | undefined, group: 'under18' | 'adult' | undefined): SupportContext {
  const ageGroup = group ?? (age === undefined ? context.ageGroup : age < 18 ? 'under18' : 'adult');
  return {
    ...context,
    ...(age === undefined ? {} : { age }),
    ageGroup,
    flags: { ...context.flags, under18: context.flags.under18 || ageGroup === 'under18' },
  };
}

// Small builders so the definition below reads like the flow. Every key and choice passed to them is a literal.
const say = (key: string, choices?: readonly string[], when?: Audience, relayText?: boolean) =>
  ({ type: 'say', params: { key, ...(choices ? { choices } : {}), ...(when ? { when } : {}), ...(relayText ? { relayText } : {}) } }) as const;
const setHandoff = (status: SupportContext['handoff']) => ({ type: 'setHandoff', params: { status } }) as const;
/** The crisis reply, worded for under-19s or for everyone else, with no buttons (used while a handler has the chat). */
const crisisReplies = [say('crisis.young', undefined, 'under19'), say('crisis.general', undefined, 'notUnder19')] as const;
const seen = (step: Step) => ({ type: 'markSeen', params: { step } }) as const;
const handoff = (reason: 'requested' | 'crisis' | 'danger' | 'child-at-risk') => ({ type: 'handoff', params: { reason } }) as const;

/** The person leaves a call handler's chat: a short confirmation, then the menu. */
const leaveHandler = { target: '#menu', actions: [setHandoff('none'), say('handoff.left')] } as const;

/** Returns to the step of the guided flow they were on (or the welcome after a fresh start or erase). */
const resumeFlow = [
  { guard: 'flowNotStarted', target: '#welcome' },
  { target: '#main.history' },
] as const;

/** Returns to whatever they were looking at before a language, delete or help detour. */
const resumeAny = [
  { guard: 'flowNotStarted', target: '#welcome' },
  { target: '#conversation.history' },
] as const;

/** Crisis disclosed: flags, a handoff (urgent for a child) and the crisis state (global or in-flow). */
const crisisTo = (target: string) => [
  { guard: 'isChild', target, reenter: true, actions: ['flagCrisis', handoff('child-at-risk')] },
  { target, reenter: true, actions: ['flagCrisis', handoff('crisis')] },
] as const;

const dangerTo = (target: string) => [
  { guard: 'isChild', target, reenter: true, actions: ['flagDanger', handoff('child-at-risk')] },
  { target, reenter: true, actions: ['flagDanger', handoff('danger')] },
] as const;

/** AGE under 18 shows the child message; at risk already, it also asks for a person urgently. */
const childTo = (target: string) => [
  { guard: 'revealsChildAtRisk', target, reenter: true, actions: ['noteAge', handoff('child-at-risk')] },
  { guard: 'isUnder18Answer', target, reenter: true, actions: 'noteAge' },
] as const;

/** Where each topic lives: a flow step, or a short information state outside the flow. */
const TOPIC_TARGETS: Readonly<Record<Topic, string>> = {
  evidence: '#evidence',
  blocking: '#contact',
  deleting: '#dontDelete',
  reporting: '#reporting',
  takedown: '#takedown',
  crime: '#crimeInfo',
  sextortion: '#sextortionInfo',
  whoToCall: '#whoToCallInfo',
  paying: '#paid',
};

const topicTransitions = (first: readonly ReturnType<typeof say>[] = []) =>
  (Object.keys(TOPIC_TARGETS) as Topic[]).map((topic) => ({
    guard: { type: 'isTopic', params: { topic } },
    target: TOPIC_TARGETS[topic],
    reenter: true,
    actions: first,
  }) as const);

/** Handlers for the two prompts outside the conversation (language, delete) that re-ask themselves. */
const reaskSelf = (id: string) => ({
  HELP: { target: id, reenter: true, actions: say('help.howItWorks') },
  UNKNOWN: { target: id, reenter: true, actions: say('unknown.notSure') },
});

/** An information state outside the flow: one reply, then back to the flow with "next". */
const infoState = (id: string, key: string) => ({
  id,
  entry: say(key, ['next', 'menu']),
  on: { NEXT: resumeFlow },
});

const FIRST_LINE = say('welcome.short');

/**
 * The support conversation. Pure and deterministic: no I/O, timers or dates,
 * so a turn can be retried and a persisted snapshot restored on any process.
 * Crisis and danger are handled on the root so they win from every state.
 */
export const supportFlow = setup({
  types: {
    context: {} as SupportContext,
    events: {} as SupportEvent,
    emitted: {} as SupportEmitted,
  },
  actions: {
    say: enqueueActions(({ context, event, enqueue }, params: SayParams) => {
      if (params.when && !matchesAudience(context, params.when)) return;
      const relayed = params.relayText && event.type === 'HANDLER_MESSAGE' ? { text: event.text } : undefined;
      const vars = params.vars || relayed ? { ...params.vars, ...relayed } : undefined;
      enqueue.emit({
        type: 'reply',
        key: params.key,
        ...(vars ? { vars } : {}),
        ...(params.choices ? { choices: params.choices } : {}),
      });
    }),
    handoff: emit((_, params: { reason: 'requested' | 'crisis' | 'danger' | 'child-at-risk' }) =>
      ({ type: 'handoff', reason: params.reason }) as const),
    erase: emit({ type: 'erase' } as const),
    // assign merges, so optional facts must be cleared explicitly or they would survive an erase.
    reset: assign(() => ({ ...initialSupportContext(), locale: undefined, age: undefined, paid: undefined })),
    markSeen: assign(({ context }, params: { step: Step }) =>
      context.seen.includes(params.step) ? {} : { seen: [...context.seen, params.step] }),
    startFlow: assign({ flowStarted: true }),
    flagCrisis: assign(({ context, event }) => ({
      flags: { ...context.flags, crisis: true, danger: context.flags.danger || (event.type === 'CRISIS' && event.danger) },
    })),
    flagDanger: assign(({ context }) => ({ flags: { ...context.flags, danger: true } })),
    noteAge: assign(({ context, event }) => {
      if (event.type === 'AGE') return withAge(context, event.age, event.group);
      if (event.type === 'YES') return withAge(context, undefined, 'under18');
      if (event.type === 'NO') return withAge(context, undefined, 'adult');
      return {};
    }),
    noteFacts: assign(({ context, event }) => {
      if (event.type !== 'FACTS') return {};
      const aged = withAge(context, event.age, undefined);
      return event.paid === undefined ? aged : { ...aged, paid: event.paid };
    }),
    notePaid: assign({ paid: true }),
    noteNotPaid: assign({ paid: false }),
    noteKnownPerson: assign({ knownPerson: true }),
    noteLocale: assign(({ event }) => (event.type === 'SET_LANGUAGE' ? { locale: event.locale } : {})),
    setHandoff: assign((_, params: { status: SupportContext['handoff'] }) => ({ handoff: params.status })),
  },
  guards: {
    isTopic: ({ event }, params: { topic: Topic }) => event.type === 'TOPIC' && event.topic === params.topic,
    isChild: ({ context }) => isChild(context),
    isAdult: ({ context }) => !isChild(context) && context.ageGroup === 'adult',
    isUnder18Answer: ({ event }) => event.type === 'AGE' && (event.group === 'under18' || (event.age !== undefined && event.age < 18)),
    revealsChildAtRisk: ({ context, event }) =>
      revealsChild(context, event) && (context.flags.crisis || context.flags.danger),
    paidKnown: ({ context }, params: { paid: boolean }) => context.paid === params.paid,
    safetyDisclosed: ({ context }) => context.flags.crisis || context.flags.danger,
    knownPersonPending: ({ context }) => context.knownPerson && !context.seen.includes('knownPerson'),
    flowNotStarted: ({ context }) => !context.flowStarted,
    isQueued: ({ context }) => context.handoff === 'queued',
  },
}).createMachine({
  id: 'support',
  context: initialSupportContext,
  initial: 'start',
  // YES, NO and NEXT are deliberately handled only by the steps that ask for them, so the
  // engine's `snapshot.can(event)` tells which answer the current step is waiting for.
  on: {
    CRISIS: crisisTo('#crisis'),
    DANGER: dangerTo('#danger'),
    MENU: { target: '#menu', reenter: true },
    HELP: resumeAny.map((t) => ({ ...t, actions: say('help.howItWorks') })),
    HUMAN: { target: '#handoffRequested', reenter: true, actions: handoff('requested') },
    LANGUAGE: { target: '#language', reenter: true },
    SET_LANGUAGE: resumeAny.map((t) => ({ ...t, actions: 'noteLocale' })),
    DELETE: { target: '#confirmDelete', reenter: true },
    START: { target: '#welcome', reenter: true },
    FACTS: [
      { guard: 'revealsChildAtRisk', actions: ['noteFacts', handoff('child-at-risk')] },
      { actions: 'noteFacts' },
    ],
    ATTACHMENT: { actions: say('attachment.notNeeded') },
    UNKNOWN: resumeAny.map((t) => ({ ...t, actions: say('unknown.notSure') })),
    AGE: [
      ...childTo('#childNotice'),
      ...resumeAny.map((t) => ({ ...t, actions: ['noteAge', say('age.noted')] as const })),
    ],
    PAID: { target: '#paidAdvice', reenter: true, actions: 'notePaid' },
    NOT_PAID: { target: '#notPaidAdvice', reenter: true, actions: 'noteNotPaid' },
    KNOWN_PERSON: { target: '#knownPerson', reenter: true, actions: 'noteKnownPerson' },
    TOPIC: topicTransitions(),
    // Queued after a crisis or danger disclosure: the crisis reply has been said; add that a person will join.
    HANDOFF_QUEUED: { actions: [setHandoff('queued'), say('handoff.queuedAfterRisk')] },
    CANCEL_HANDOFF: [
      { guard: 'isQueued', actions: [setHandoff('none'), say('handoff.cancelled', ['continue', 'menu'])] },
      ...resumeAny.map((t) => ({ ...t, actions: say('unknown.notSure') })),
    ],
    HANDOFF_TIMEOUT: { guard: 'isQueued', actions: [setHandoff('none'), say('handoff.timeout', ['continue', 'menu'])] },
    HANDLER_JOINED: { target: '#withHandler', actions: [setHandoff('withHandler'), say('handoff.joined')] },
  },
  states: {
    /**
     * A call handler has the conversation: the bot says nothing of its own but
     * the crisis and danger replies; everything else the person sends goes to
     * the handler (the engine records it), and is not acted on here, except
     * "menu" and "cancel", which leave the handler's chat (the engine removes
     * the ticket and tells the console).
     */
    withHandler: {
      id: 'withHandler',
      on: {
        CRISIS: [
          { guard: 'isChild', actions: ['flagCrisis', handoff('child-at-risk'), ...crisisReplies] },
          { actions: ['flagCrisis', handoff('crisis'), ...crisisReplies] },
        ],
        DANGER: [
          { guard: 'isChild', actions: ['flagDanger', handoff('child-at-risk'), say('danger.now')] },
          { actions: ['flagDanger', handoff('danger'), say('danger.now')] },
        ],
        // Facts still count (a child's age changes the crisis wording and the ticket's priority).
        FACTS: [
          { guard: 'revealsChildAtRisk', actions: ['noteFacts', handoff('child-at-risk')] },
          { actions: 'noteFacts' },
        ],
        HANDLER_MESSAGE: { actions: say('handoff.handlerMessage', undefined, undefined, true) },
        HANDLER_JOINED: {},
        MENU: leaveHandler,
        CANCEL_HANDOFF: leaveHandler,
        HANDLER_TRANSFERRED: { target: '#conversation.history', actions: [setHandoff('queued'), say('handoff.transferred')] },
        HANDLER_LEFT: { target: '#conversation.history', actions: [setHandoff('queued'), say('handoff.handlerLeft')] },
        HANDLER_ENDED: { target: '#menu', actions: [setHandoff('none'), say('handoff.ended')] },
        HANDOFF_QUEUED: {},
        '*': {},
      },
    },
    /** Quiet until the first message: nothing is sent to someone who has not written. */
    start: {
      on: {
        START: '#welcome',
        UNKNOWN: '#welcome',
        YES: '#welcome',
        NO: '#welcome',
        NEXT: '#welcome',
        ATTACHMENT: { target: '#welcome', actions: say('attachment.notNeeded') },
        AGE: { target: '#welcome', actions: 'noteAge' },
        PAID: { target: '#welcome', actions: 'notePaid' },
        NOT_PAID: { target: '#welcome', actions: 'noteNotPaid' },
        KNOWN_PERSON: { target: '#welcome', actions: 'noteKnownPerson' },
        TOPIC: topicTransitions([FIRST_LINE]),
      },
    },
    /** After an erase: whatever comes next starts afresh (crisis and danger still answered first). */
    deleted: {
      id: 'deleted',
      on: {
        START: '#welcome', UNKNOWN: '#welcome', YES: '#welcome', NO: '#welcome', NEXT: '#welcome',
        MENU: '#welcome', HELP: '#welcome', HUMAN: '#welcome', LANGUAGE: '#welcome', DELETE: '#welcome',
        SET_LANGUAGE: '#welcome', ATTACHMENT: '#welcome', AGE: '#welcome', PAID: '#welcome',
        NOT_PAID: '#welcome', KNOWN_PERSON: '#welcome', TOPIC: '#welcome',
      },
    },
    language: {
      id: 'language',
      entry: say('language.choose', ['languages']),
      on: { ...reaskSelf('#language'), NEXT: resumeAny, NO: resumeAny },
    },
    confirmDelete: {
      id: 'confirmDelete',
      entry: say('delete.confirm', ['yes', 'no']),
      on: {
        ...reaskSelf('#confirmDelete'),
        YES: { target: '#deleted', actions: ['erase', 'reset', say('delete.done')] },
        NO: resumeAny.map((t) => ({ ...t, actions: say('delete.cancelled') })),
      },
    },
    conversation: {
      id: 'conversation',
      initial: 'main',
      states: {
        history: { type: 'history', history: 'deep', target: 'main' },
        main: {
          id: 'main',
          initial: 'welcome',
          entry: 'startFlow',
          states: {
            history: { type: 'history', history: 'deep', target: 'welcome' },
            welcome: {
              id: 'welcome',
              entry: [seen('welcome'), say('welcome.intro', ['next'])],
              on: { NEXT: 'toSafety' },
            },
            toSafety: { always: [{ guard: 'safetyDisclosed', target: 'toAge' }, { target: 'safety' }] },
            safety: {
              entry: [seen('safety'), say('safety.question', ['danger', 'crisis', 'safe'])],
              on: {
                CRISIS: crisisTo('#safetyCrisis'),
                YES: crisisTo('#safetyCrisis'),
                DANGER: dangerTo('#safetyDanger'),
                NO: 'toAge',
              },
            },
            safetyCrisis: {
              id: 'safetyCrisis',
              entry: [say('crisis.young', ['continue', 'human'], 'under19'), say('crisis.general', ['continue', 'human'], 'notUnder19')],
              on: { NEXT: 'toAge', CRISIS: crisisTo('#safetyCrisis'), DANGER: dangerTo('#safetyDanger') },
            },
            safetyDanger: {
              id: 'safetyDanger',
              entry: say('danger.now', ['continue', 'human']),
              on: { NEXT: 'toAge', CRISIS: crisisTo('#safetyCrisis'), DANGER: dangerTo('#safetyDanger') },
            },
            toAge: { always: [{ guard: 'isChild', target: 'under18' }, { guard: 'isAdult', target: 'toPaid' }, { target: 'age' }] },
            age: {
              entry: [seen('age'), say('age.question', ['under18', 'adult'])],
              on: {
                AGE: [...childTo('under18'), { target: 'toPaid', actions: 'noteAge' }],
                YES: [
                  { guard: and(['safetyDisclosed', not('isChild')]), target: 'under18', actions: ['noteAge', handoff('child-at-risk')] },
                  { target: 'under18', actions: 'noteAge' },
                ],
                NO: { target: 'toPaid', actions: 'noteAge' },
              },
            },
            under18: {
              id: 'under18',
              entry: [seen('under18'), say('under18.message', ['next'])],
              on: { NEXT: 'toPaid' },
            },
            toPaid: {
              always: [
                { guard: { type: 'paidKnown', params: { paid: true } }, target: 'paidAdvice' },
                { guard: { type: 'paidKnown', params: { paid: false } }, target: 'notPaidAdvice' },
                { target: 'paid' },
              ],
            },
            paid: {
              id: 'paid',
              entry: [seen('paid'), say('paid.question', ['paid', 'not_paid'])],
              on: {
                YES: { target: 'paidAdvice', actions: 'notePaid' },
                NO: { target: 'notPaidAdvice', actions: 'noteNotPaid' },
              },
            },
            paidAdvice: {
              id: 'paidAdvice',
              entry: [seen('paidAdvice'), say('paid.already', ['next'])],
              on: { NEXT: 'contact' },
            },
            notPaidAdvice: {
              id: 'notPaidAdvice',
              entry: [seen('notPaidAdvice'), say('paid.dontPay', ['next'])],
              on: { NEXT: 'contact' },
            },
            contact: {
              id: 'contact',
              entry: [seen('contact'), say('contact.stop', ['next'])],
              on: { NEXT: 'evidence' },
            },
            dontDelete: {
              id: 'dontDelete',
              entry: [seen('dontDelete'), say('evidence.dontDelete', ['next'])],
              on: { NEXT: 'evidence' },
            },
            evidence: {
              id: 'evidence',
              entry: [seen('evidence'), say('evidence.save', ['next'])],
              on: { NEXT: 'takedown' },
            },
            takedown: {
              id: 'takedown',
              entry: [
                seen('takedown'),
                say('takedown.child', ['next', 'known'], 'child'),
                say('takedown.adult', ['next', 'known'], 'adult'),
              ],
              on: { NEXT: [{ guard: 'knownPersonPending', target: 'knownPerson' }, { target: 'reporting' }] },
            },
            knownPerson: {
              id: 'knownPerson',
              entry: [
                seen('knownPerson'),
                say('knownPerson.child', ['next'], 'child'),
                say('knownPerson.adult', ['next'], 'adult'),
              ],
              on: { NEXT: 'reporting' },
            },
            reporting: {
              id: 'reporting',
              entry: [
                seen('reporting'),
                say('report.child', ['human', 'next'], 'child'),
                say('report.adult', ['human', 'next'], 'adult'),
              ],
              on: { NEXT: 'summary' },
            },
            summary: {
              id: 'summary',
              entry: [
                seen('summary'),
                say('summary.child', ['menu', 'human'], 'child'),
                say('summary.adult', ['menu', 'human'], 'adult'),
              ],
              on: { NEXT: '#menu' },
            },
          },
        },
        menu: {
          id: 'menu',
          entry: say('menu.intro', [
            'topic:evidence', 'topic:blocking', 'topic:deleting', 'topic:reporting', 'topic:takedown',
            'topic:paying', 'topic:crime', 'topic:sextortion', 'topic:whoToCall', 'continue', 'human', 'language', 'delete',
          ]),
          on: { NEXT: resumeFlow },
        },
        crimeInfo: infoState('crimeInfo', 'topic.crime'),
        sextortionInfo: infoState('sextortionInfo', 'topic.sextortion'),
        whoToCallInfo: infoState('whoToCallInfo', 'topic.whoToCall'),
        childNotice: {
          id: 'childNotice',
          entry: say('under18.message', ['next']),
          on: { NEXT: resumeFlow },
        },
        crisis: {
          id: 'crisis',
          entry: [say('crisis.young', ['continue', 'human'], 'under19'), say('crisis.general', ['continue', 'human'], 'notUnder19')],
          on: { NEXT: resumeFlow },
        },
        danger: {
          id: 'danger',
          entry: say('danger.now', ['continue', 'human']),
          on: { NEXT: resumeFlow },
        },
        /** Asked for a person: the engine answers in the same turn with HANDOFF_QUEUED or HANDOFF_UNAVAILABLE. */
        handoffRequested: {
          id: 'handoffRequested',
          on: {
            NEXT: resumeFlow,
            HUMAN: { target: '#handoffRequested', reenter: true, actions: handoff('requested') },
            HANDOFF_QUEUED: { actions: [setHandoff('queued'), say('handoff.queued', ['continue', 'cancel'])] },
            HANDOFF_UNAVAILABLE: { actions: say('handoff.unavailable', ['continue', 'menu']) },
          },
        },
      },
    },
  },
});

/** The machine's type, for the engine and the key collector. */
export type SupportFlow = typeof supportFlow;
