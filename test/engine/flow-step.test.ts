import { getShortestPaths } from '@xstate/graph';
import { createMachine, initialTransition, transition } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { SupportEvent } from '../../flows/support-events.js';
import { supportFlow } from '../../flows/support-flow.js';
import { assertPure, FlowNotPureError, FlowStepper, type FlowSnapshot } from '../../src/engine/flow-step.js';
import { ALL_EVENTS } from '../flows/flow-driver.js';

/** What XState's own `transition()` makes of an event: the reference the shared scope must match. */
function reference(snapshot: FlowSnapshot, event: SupportEvent) {
  const [next, actions] = transition(supportFlow, snapshot, event);
  return { value: next.value, context: next.context, emitted: (actions as readonly { type: string; params?: unknown }[]).filter((a) => a.type === 'xstate.emit').map((a) => (a.params as { event: unknown }).event) };
}

describe('FlowStepper', () => {
  const flow = new FlowStepper();
  const start = flow.restore(undefined).snapshot;
  const states = getShortestPaths(supportFlow, {
    fromState: flow.step(start, { type: 'FACTS', facts: { age: 15 } }).snapshot,
    events: ALL_EVENTS as SupportEvent[],
    serializeState: (s) => JSON.stringify(s.value),
  }).map((path) => path.state as FlowSnapshot);

  it('starts where XState\'s initialTransition() starts', () => {
    const [initial] = initialTransition(supportFlow);
    expect(start.value).toEqual(initial.value);
    expect(start.context).toEqual(initial.context);
  });

  it('gives the same next state, context and emitted output as XState\'s transition(), for every event in every state, one after another on the one scope', () => {
    expect(states.length).toBeGreaterThan(20);
    for (const state of states) {
      for (const event of ALL_EVENTS) {
        const ours = flow.step(state, event);
        expect({ value: ours.snapshot.value, context: ours.snapshot.context, emitted: ours.emitted }).toEqual(reference(state, event));
      }
    }
  });

  it('refuses a flow that invokes an actor or has a delayed transition, which a shared scope cannot run', () => {
    const delayed = createMachine({ initial: 'a', states: { a: { after: { 1000: 'b' } }, b: {} } });
    const invoking = createMachine({ initial: 'a', states: { a: { invoke: { src: createMachine({}) } } } });
    expect(() => assertPure(delayed.root)).toThrow(FlowNotPureError);
    expect(() => assertPure(invoking.root)).toThrow(FlowNotPureError);
    expect(() => assertPure(supportFlow.root)).not.toThrow();
  });
});
