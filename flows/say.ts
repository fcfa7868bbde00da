import type { Condition } from './support-context.js';

/**
 * One way of saying something: a locale key, its buttons, and when it
 * applies. Keys and buttons are always literals, so a test can read every
 * reply the flow can give from its definition without running it.
 */
export interface Variant {
  readonly key: string;
  readonly choices?: readonly string[];
  readonly when?: Condition;
  /** Pass the event's `text` (a call handler's message) as the `text` variable. */
  readonly relayText?: boolean;
  /** Pass the event's `platform` (the platform that cannot delete messages) as the `platform` variable. */
  readonly platformName?: boolean;
}

/** Parameters of the flow's `say` action: its variants, in order; the first that applies is said (none: nothing). */
export interface SayParams {
  readonly variants: readonly Variant[];
}

/** The name of the flow's action that says something. */
export const SAY_ACTION = 'say';

/** A `say` action with one key. */
export function say(key: string, choices?: readonly string[], when?: Condition) {
  return { type: SAY_ACTION, params: { variants: [{ key, ...(choices && { choices }), ...(when && { when }) }] } } as const;
}

/** A `say` action that says the first of its variants that applies. */
export function sayFirst(variants: readonly Variant[]) {
  return { type: SAY_ACTION, params: { variants } } as const;
}
