/**
 * Runs a background check every `everyMs` on this instance, never two runs
 * at once, and waits for the one in progress on stop, so a server shutting
 * down does not cut a check off half-way. The timer does not keep the
 * process alive. A run that fails is the task's to log; the next still runs.
 */
export class RepeatingTask {
  readonly #run: () => Promise<unknown>;
  readonly #everyMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor({ run, everyMs }: { run: () => Promise<unknown>; everyMs: number }) {
    this.#run = run;
    this.#everyMs = everyMs;
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.#running ??= this.#run()
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
