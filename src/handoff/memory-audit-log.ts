import type { AuditEntry, AuditLog } from './handoff-model.js';

/** How many audit entries {@link MemoryAuditLog} and the Redis log keep and list by default. */
export const AUDIT_DEFAULTS = { maxEntries: 10_000, listLimit: 100 } as const;

/**
 * The audit log for a single instance: who viewed, claimed, replied to and
 * ended which ticket, newest first, capped so it cannot grow without bound.
 * Entries hold no message text by type, so nothing said can leak through it.
 */
export class MemoryAuditLog implements AuditLog {
  readonly #entries: AuditEntry[] = [];
  readonly #maxEntries: number;

  constructor({ maxEntries = AUDIT_DEFAULTS.maxEntries }: { maxEntries?: number } = {}) {
    this.#maxEntries = maxEntries;
  }

  async append(entry: AuditEntry): Promise<void> {
    this.#entries.unshift(auditRecord(entry));
    if (this.#entries.length > this.#maxEntries) this.#entries.length = this.#maxEntries;
  }

  async list(limit: number = AUDIT_DEFAULTS.listLimit): Promise<AuditEntry[]> {
    return this.#entries.slice(0, Math.max(0, limit));
  }
}

/** Copies only the audit fields, so a caller passing a richer object cannot smuggle text into the log. */
export function auditRecord(entry: AuditEntry): AuditEntry {
  return {
    at: entry.at,
    handler: entry.handler,
    action: entry.action,
    ...(entry.ticketId === undefined ? {} : { ticketId: entry.ticketId }),
    ...(entry.reason === undefined ? {} : { reason: entry.reason }),
    ...(entry.about === undefined ? {} : { about: entry.about }),
  };
}
