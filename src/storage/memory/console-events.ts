import { silentLogger, type Logger } from '../../core/logger.js';
import type { ConsoleEvent, ConsoleEvents } from '../../handoff/handoff-model.js';

/**
 * Console events for a single instance: every publish reaches every listener
 * of this process. A listener that throws is logged (without the event's
 * content) and does not stop the others hearing.
 */
export class MemoryConsoleEvents implements ConsoleEvents {
  readonly #listeners = new Set<(event: ConsoleEvent) => void>();
  readonly #logger: Logger;

  constructor({ logger = silentLogger }: { logger?: Logger } = {}) {
    this.#logger = logger;
  }

  async publish(event: ConsoleEvent): Promise<void> {
    deliverToAll(this.#listeners, event, this.#logger);
  }

  subscribe(listener: (event: ConsoleEvent) => void): () => void {
    // A wrapper per call, so subscribing the same function twice gives two independent subscriptions.
    const own = (event: ConsoleEvent) => listener(event);
    this.#listeners.add(own);
    return () => {
      this.#listeners.delete(own);
    };
  }
}

/** Calls each listener; one that throws is logged (event type only, never text) and the rest still hear. */
export function deliverToAll(listeners: Iterable<(event: ConsoleEvent) => void>, event: ConsoleEvent, logger: Logger): void {
  for (const listener of [...listeners]) {
    try {
      listener(event);
    } catch (error) {
      logger.warn({ event: event.type, err: error instanceof Error ? error.message : String(error) }, 'console event listener failed');
    }
  }
}
