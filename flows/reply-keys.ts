import type { AnyStateMachine, AnyStateNode } from 'xstate';

/** What a flow can say: every reply key and every button id, read from its definition. */
export interface FlowKeys {
  readonly replyKeys: Set<string>;
  readonly choiceIds: Set<string>;
}

import { SAY_ACTION } from './say.js';

/**
 * Collects the reply keys and choice ids from a machine's DEFINITION (not by
 * running it), so a locale-coverage test sees every message, including ones on
 * paths no test walks. This works because the flow only ever names keys as
 * static `say` variants or in its reply tables (passed as `tables`); a
 * computed key would be invisible here, which is why the flow never builds one.
 */
export function collectFlowKeys(machine: AnyStateMachine, tables: readonly unknown[] = []): FlowKeys {
  const keys: FlowKeys = { replyKeys: new Set(), choiceIds: new Set() };
  visit(machine.root, keys);
  for (const variant of tables) collectVariant(variant, keys);
  return keys;
}

function visit(node: AnyStateNode, keys: FlowKeys): void {
  for (const action of [...node.entry, ...node.exit]) collectAction(action, keys);
  for (const transitions of node.transitions.values()) {
    for (const transition of transitions) for (const action of transition.actions) collectAction(action, keys);
  }
  for (const transition of node.always ?? []) for (const action of transition.actions) collectAction(action, keys);
  for (const child of Object.values(node.states)) visit(child, keys);
}

function collectAction(action: unknown, keys: FlowKeys): void {
  if (typeof action !== 'object' || action === null) return;
  const { type, params } = action as { type?: unknown; params?: unknown };
  if (type !== SAY_ACTION || typeof params !== 'object' || params === null) return;
  const { variants } = params as { variants?: unknown };
  if (!Array.isArray(variants)) return;
  for (const variant of variants) collectVariant(variant, keys);
}

/** Adds one reply variant's key and buttons. */
export function collectVariant(variant: unknown, keys: FlowKeys): void {
  if (typeof variant !== 'object' || variant === null) return;
  const { key, choices } = variant as { key?: unknown; choices?: unknown };
  if (typeof key === 'string') keys.replyKeys.add(key);
  if (Array.isArray(choices)) for (const id of choices) if (typeof id === 'string') keys.choiceIds.add(id);
}
