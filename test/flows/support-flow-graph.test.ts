import { getShortestPaths } from '@xstate/graph';
import type { AnyStateNode } from 'xstate';
import { describe, expect, it } from 'vitest';
import { LOCAL_CRISIS } from '../../flows/replies.js';
import { supportFlow } from '../../flows/support-flow.js';
import type { Facts } from '../../flows/safeguarding.js';
import { FlowStepper } from '../../src/engine/flow-step.js';
import type { SupportEvent } from '../../flows/support-events.js';
import { ALL_EVENTS, FlowDriver, replies } from './flow-driver.js';

const flow = new FlowStepper();

/** The state value alone: the context grows each turn, so serialising it would make the graph endless. */
const valueOf = (s: { value: unknown }) => JSON.stringify(s.value);
const traversal = { events: ALL_EVENTS, serializeState: valueOf, limit: 10_000 };

/**
 * Which steps a conversation can reach depends on what the person told (a
 * bluff email, a parent writing, a child asked for more images…), so the
 * graph is explored once from each situation, told in the first message.
 */
const SITUATIONS: readonly Partial<Facts>[] = [
  {}, { age: 30, paid: true, payMethod: 'giftCard' }, { age: 15, paid: false, who: 'partner', outing: true },
  { images: 'none' }, { writer: 'parent', age: 14 }, { age: 14, demand: 'sexual' }, { age: 19, images: 'shared', takenUnder18: true },
];

interface Walk {
  readonly events: readonly SupportEvent[];
  readonly state: { value: unknown };
}

const walks: Walk[] = SITUATIONS.flatMap((facts) => {
  const told: SupportEvent[] = [{ type: 'FACTS', facts }];
  const from = flow.step(flow.restore(undefined).snapshot, told[0]!).snapshot;
  return getShortestPaths(supportFlow, { ...traversal, fromState: from }).map((path) => ({
    events: [...told, ...path.steps.map((step) => step.event).filter((e): e is SupportEvent => !e.type.startsWith('xstate.'))],
    state: path.state,
  }));
});

/** A state entered only in passing, while the first message is handled again after the welcome. */
const PASSING = new Set([JSON.stringify({ conversation: 'firstMessage' })]);

/** The state in which a call handler has the conversation and the bot keeps quiet. */
const WITH_HANDLER = JSON.stringify('withHandler');


/** Every state a conversation can rest in: atomic states, minus history pseudo-states and pass-through routers. */
function restingStates(node: AnyStateNode): string[] {
  if (node.type === 'history') return [];
  const children = Object.values(node.states);
  if (children.length === 0) return node.always?.length ? [] : [JSON.stringify(node.path.reduceRight<unknown>((v, k) => (v === undefined ? k : { [k]: v }), undefined))];
  return children.flatMap(restingStates);
}

/** A driver positioned at the end of a path, checked to have arrived where the graph said. */
function driverAt(walk: Walk): FlowDriver {
  const driver = new FlowDriver();
  driver.sendAll(walk.events);
  expect(driver.value).toBe(valueOf(walk.state));
  return driver;
}

/** The replies of one event, without the lines only some languages have. */
const keysOf = (emitted: ReturnType<FlowDriver['send']>) => replies(emitted).map((r) => r.key).filter((k) => k !== LOCAL_CRISIS);

describe('supportFlow graph', () => {
  it('reaches every state', () => {
    const reached = new Set(walks.map((w) => valueOf(w.state)));
    const all = restingStates(supportFlow.root).filter((s) => !PASSING.has(s));
    expect(all.length).toBeGreaterThan(20);
    expect([...all].filter((s) => !reached.has(s))).toEqual([]);
  });

  it('has a path back to the menu from every state', () => {
    const menu = JSON.stringify({ conversation: 'menu' });
    const checked = new Set<string>();
    for (const walk of walks) {
      if (checked.has(valueOf(walk.state))) continue;
      checked.add(valueOf(walk.state));
      const from = walk.events.reduce((snapshot, event) => flow.step(snapshot, event).snapshot, flow.restore(undefined).snapshot);
      const back = getShortestPaths(supportFlow, { ...traversal, fromState: from, toState: (s) => valueOf(s) === menu });
      expect(back.length, valueOf(walk.state)).toBeGreaterThan(0);
    }
  });

  it('answers an overdose from every state with the 999 reply first, and a call handler', () => {
    for (const path of walks) {
      const driver = driverAt(path);
      const emitted = driver.send({ type: 'RISK', level: 'harmed', danger: false });
      const where = valueOf(path.state);
      const keys = keysOf(emitted);
      expect(keys[0], where).toMatch(/^risk\.harmed(Other)?\.(young|older|unknown)$/);
      expect(emitted.filter((e) => e.type === 'handoff'), where).toHaveLength(1);
    }
  });

  it('answers thoughts of suicide from every state with crisis contacts, worded for a known child', () => {
    for (const path of walks) {
      const driver = driverAt(path);
      driver.send({ type: 'FACTS', facts: { age: 17 } });
      const emitted = driver.send({ type: 'RISK', level: 'thoughts', danger: false });
      const where = valueOf(path.state);
      expect(keysOf(emitted)[0], where).toMatch(/^risk\.thoughts(Other)?\.young$/);
      expect(emitted, where).toContainEqual({ type: 'handoff', reason: 'child-at-risk' });
    }
  });

  it('answers danger from every state with the 999 reply', () => {
    for (const path of walks) {
      const driver = driverAt(path);
      const emitted = driver.send({ type: 'RISK', danger: true });
      const where = valueOf(path.state);
      const keys = keysOf(emitted);
      // Someone already known to be in crisis gets their crisis reply, with the danger line after it.
      expect(keys.includes('risk.danger') || keys.includes('risk.dangerToo'), where).toBe(true);
    }
  });

  it('follows up a hint of risk from every state, by asking or, once a crisis is known, with the crisis reply', () => {
    for (const path of walks) {
      const driver = driverAt(path);
      const where = valueOf(path.state);
      const keys = keysOf(driver.send({ type: 'RISK', level: 'unclear', danger: false }));
      if (where === WITH_HANDLER) continue; // the call handler reads every message
      expect(keys.some((k) => k.startsWith('riskCheck.ask') || k.startsWith('risk.')), where).toBe(true);
    }
  });

  it('answers MENU, HELP, UNKNOWN and media from every state with something to read, except while a call handler has the chat', () => {
    for (const path of walks) {
      for (const event of [{ type: 'MENU' }, { type: 'HELP' }, { type: 'UNKNOWN' }, { type: 'ATTACHMENT' }] as const) {
        const driver = driverAt(path);
        const where = valueOf(path.state);
        const said = replies(driver.send(event)).length;
        if (where === WITH_HANDLER && event.type !== 'MENU') expect(said, `${event.type} in ${where}`).toBe(0);
        else expect(said, `${event.type} in ${where}`).toBeGreaterThan(0);
      }
    }
  });

  it('never asks for the age once it is known, from any state', () => {
    for (const path of walks) {
      const driver = driverAt(path);
      driver.send({ type: 'FACTS', facts: { age: 16 } });
      for (const event of [{ type: 'NEXT' }, { type: 'INFO' }, { type: 'ANSWER', answer: 'yes' }, { type: 'UNKNOWN' }] as const) {
        const keys = keysOf(driver.send(event));
        expect(keys.filter((k) => k.startsWith('age.ask') || k.startsWith('resume.age')), valueOf(path.state)).toEqual([]);
      }
    }
  });
});
