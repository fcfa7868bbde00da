import { AsyncLocalStorage } from 'node:async_hooks';

/** The console methods botbuilder writes to. */
export type ConsoleLevel = 'error' | 'warn';

/** Where captured console calls go instead of the console: the method and its arguments. */
export type ConsoleSink = (level: ConsoleLevel, args: readonly unknown[]) => void;

/** One user's hold on the process's console interception. */
export interface ConsoleCapture {
  /**
   * Runs `work` with every `console.error` and `console.warn` made within it,
   * and within everything it awaits, sent to `sink` instead of the console.
   * Calls from anywhere else still reach the console unchanged.
   */
  run<T>(sink: ConsoleSink, work: () => Promise<T>): Promise<T>;
  /** Gives up this hold; the console's own methods are put back when the last hold is released. Safe to call twice. */
  release(): void;
}

interface Installation {
  readonly storage: AsyncLocalStorage<ConsoleSink>;
  readonly original: Readonly<Record<ConsoleLevel, Console['error']>>;
  readonly patched: Readonly<Record<ConsoleLevel, Console['error']>>;
  holds: number;
}

/**
 * The one interception of this process's console, shared by every hold.
 * This is module state because the console itself is one per process: two
 * Bot Framework channels (two apps in one test process) must share a single
 * patch, and the original methods must be put back exactly once, when the
 * last hold is released. It holds nothing else.
 */
let installation: Installation | undefined;

/**
 * Takes a hold on the console interception, installing it on the first hold.
 * botbuilder and its connector report every bad or expired token with
 * `console.error`, with stack traces and the signing keys they know: output
 * that is not a JSON log line, bypasses the log level and redaction, and lets
 * anyone who can reach the webhook fill the logs. Run the SDK's request
 * handling inside {@link ConsoleCapture.run} and route it to the logger.
 */
export function acquireConsoleCapture(): ConsoleCapture {
  const current = installation ?? install();
  current.holds++;
  let held = true;
  return {
    run: (sink, work) => current.storage.run(sink, work),
    release() {
      if (!held) return;
      held = false;
      current.holds--;
      if (current.holds === 0 && installation === current) uninstall(current);
    },
  };
}

function install(): Installation {
  const storage = new AsyncLocalStorage<ConsoleSink>();
  const original = { error: console.error, warn: console.warn };
  const divert =
    (level: ConsoleLevel) =>
    (...args: unknown[]): void => {
      const sink = storage.getStore();
      if (sink) sink(level, args);
      else original[level].apply(console, args);
    };
  const patched = { error: divert('error'), warn: divert('warn') };
  console.error = patched.error;
  console.warn = patched.warn;
  installation = { storage, original, patched, holds: 0 };
  return installation;
}

/** Puts the console's methods back, unless something else has replaced them since (then theirs stays). */
function uninstall(current: Installation): void {
  for (const level of ['error', 'warn'] as const) {
    if (console[level] === current.patched[level]) console[level] = current.original[level];
  }
  current.storage.disable();
  installation = undefined;
}
