/**
 * A background check that runs every `everyMs` on each instance: never two
 * runs at once, and `stop` waits for the run in progress, so a server
 * shutting down does not cut a check off half-way. The timer does not keep
 * the process alive. `sweep` is the check (also callable directly, in tests);
 * it should log its own failures; a failed run does not stop the next.
 */
export abstract class PeriodicSweep {
  readonly #everyMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(everyMs: number) {
    this.#everyMs = everyMs;
  }

  /** One pass of the check; returns how many things it acted on. */
  abstract sweep(): Promise<number>;

  start(): void {
    this.#timer = setInterval(() => {
      this.#running ??= this.sweep()
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => (this.#running = undefined));
    }, this.#everyMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }
}
