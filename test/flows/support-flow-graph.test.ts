import { getShortestPaths } from '@xstate/graph';
import type { AnyStateNode } from 'xstate';
import { describe, expect, it } from 'vitest';
import { supportFlow } from '../../flows/support-flow.js';
import type { SupportEvent } from '../../flows/support-events.js';
import { ALL_EVENTS, FlowDriver, replies } from './flow-driver.js';

/** The state value alone: the context grows each turn, so serialising it would make the graph endless. */
const serializeState = (s: { value: unknown }) => JSON.stringify(s.value);
const traversal = { events: ALL_EVENTS, serializeState, limit: 10_000 };

const paths = getShortestPaths(supportFlow, traversal);

/** The state in which a call handler has the conversation and the bot keeps quiet. */
const WITH_HANDLER = JSON.stringify('withHandler');

/** The events that lead to a path's state, without XState's own init event. */
function eventsOf(path: (typeof paths)[number]): SupportEvent[] {
  return path.steps.map((step) => step.event).filter((e): e is SupportEvent => !e.type.startsWith('xstate.'));
}

/** Every state a conversation can rest in: atomic states, minus history pseudo-states and pass-through routers. */
function restingStates(node: AnyStateNode): string[] {
  if (node.type === 'history') return [];
  const children = Object.values(node.states);
  if (children.length === 0) return node.always?.length ? [] : [JSON.stringify(node.path.reduceRight<unknown>((v, k) => (v === undefined ? k : { [k]: v }), undefined))];
  return children.flatMap(restingStates);
}

/** A driver positioned at the end of a path, checked to have arrived where the graph said. */
function driverAt(path: (typeof paths)[number]): FlowDriver {
  const driver = new FlowDriver();
  driver.sendAll(eventsOf(path));
  expect(driver.value).toBe(serializeState(path.state));
  return driver;
}

describe('supportFlow graph', () => {
  it('reaches every state', () => {
    const reached = new Set(paths.map((p) => serializeState(p.state)));
    const all = restingStates(supportFlow.root);
    expect(all.length).toBeGreaterThan(25);
    expect([...all].filter((s) => !reached.has(s))).toEqual([]);
  });

  it('has a path back to the menu from every state', () => {
    const menu = JSON.stringify({ conversation: 'menu' });
    for (const path of paths) {
      const back = getShortestPaths(supportFlow, { ...traversal, fromState: path.state, toState: (s) => serializeState(s) === menu });
      expect(back.length, serializeState(path.state)).toBeGreaterThan(0);
    }
  });

  it('answers CRISIS from every state with the crisis reply, Samaritans and 999, and a handoff', () => {
    for (const path of paths) {
      const driver = driverAt(path);
      const emitted = driver.send({ type: 'CRISIS', danger: false });
      const where = serializeState(path.state);
      const keys = replies(emitted).map((r) => r.key);
      expect(keys, where).toHaveLength(1);
      expect(['crisis.general', 'crisis.young'], where).toContain(keys[0]);
      // With a call handler on the chat, the reply has no buttons: the handler leads.
      expect(replies(emitted)[0]?.choices, where).toEqual(where === WITH_HANDLER ? undefined : ['continue', 'human']);
      expect(emitted.filter((e) => e.type === 'handoff'), where).toHaveLength(1);
      driver.stop();
    }
  });

  it('answers CRISIS from every state with the Childline variant once they are known to be under 19', () => {
    for (const path of paths) {
      const driver = driverAt(path);
      driver.send({ type: 'FACTS', age: 17 });
      const emitted = driver.send({ type: 'CRISIS', danger: true });
      const where = serializeState(path.state);
      expect(replies(emitted).map((r) => r.key), where).toEqual(['crisis.young']);
      expect(emitted, where).toContainEqual({ type: 'handoff', reason: 'child-at-risk' });
      expect(driver.context.flags, where).toMatchObject({ crisis: true, danger: true, under18: true });
      driver.stop();
    }
  });

  it('answers DANGER from every state with the 999 reply and a danger handoff', () => {
    for (const path of paths) {
      const driver = driverAt(path);
      const emitted = driver.send({ type: 'DANGER' });
      const where = serializeState(path.state);
      expect(replies(emitted).map((r) => r.key), where).toEqual(['danger.now']);
      const child = driver.context.flags.under18;
      expect(emitted, where).toContainEqual({ type: 'handoff', reason: child ? 'child-at-risk' : 'danger' });
      driver.stop();
    }
  });

  it('answers MENU, HELP and UNKNOWN from every state with something to read; with a call handler, only MENU (which leaves their chat)', () => {
    for (const path of paths) {
      for (const event of [{ type: 'MENU' }, { type: 'HELP' }, { type: 'UNKNOWN' }, { type: 'ATTACHMENT' }] as const) {
        const driver = driverAt(path);
        const where = serializeState(path.state);
        const said = replies(driver.send(event)).length;
        if (where === WITH_HANDLER && event.type !== 'MENU') expect(said, `${event.type} in ${where}`).toBe(0);
        else expect(said, `${event.type} in ${where}`).toBeGreaterThan(0);
        driver.stop();
      }
    }
  });

  it('takes MENU and CANCEL_HANDOFF out of a call handler’s chat to the menu, from every state that has one', () => {
    const menu = JSON.stringify({ conversation: 'menu' });
    for (const path of paths.filter((p) => serializeState(p.state) === WITH_HANDLER)) {
      for (const event of [{ type: 'MENU' }, { type: 'CANCEL_HANDOFF' }] as const) {
        const driver = driverAt(path);
        expect(replies(driver.send(event)).map((r) => r.key), event.type).toEqual(['handoff.left', 'menu.intro']);
        expect(driver.value).toBe(menu);
        expect(driver.context.handoff).toBe('none');
        driver.stop();
      }
    }
  });
});
