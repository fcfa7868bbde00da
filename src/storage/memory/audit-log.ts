import { AUDIT_PAGE, auditPage, auditWindow, DEFAULT_AUDIT_RETENTION_DAYS, matchesAudit } from '../../handoff/audit-query.js';
import type { AuditEntry, AuditLog, AuditPage, AuditQuery } from '../../handoff/handoff-model.js';

/** How long {@link MemoryAuditLog} keeps entries. */
export interface MemoryAuditLogOptions {
  /** The force's retention period in days (`AUDIT_RETENTION_DAYS`). */
  readonly retentionDays?: number;
}

/**
 * The audit log for a single instance: who viewed, claimed, replied to and
 * ended which ticket, kept for the retention period (measured back from the
 * newest entry written) and read newest first, filtered and a page at a
 * time. Entries are kept in time order, and among entries with the same
 * time in the order written, so the one written last is read first.
 * Entries hold no message text by type.
 */
export class MemoryAuditLog implements AuditLog {
  /** Oldest first. */
  readonly #entries: AuditEntry[] = [];
  readonly #retentionMs: number;

  constructor({ retentionDays = DEFAULT_AUDIT_RETENTION_DAYS }: MemoryAuditLogOptions = {}) {
    this.#retentionMs = retentionDays * 24 * 3600_000;
  }

  async append(entry: AuditEntry): Promise<void> {
    const record = auditRecord(entry);
    this.#entries.splice(this.#firstAfter(record.at), 0, record);
    const expired = this.#firstAfter(record.at - this.#retentionMs - 1);
    if (expired > 0) this.#entries.splice(0, expired);
  }

  async query(query: AuditQuery): Promise<AuditPage> {
    const window = auditWindow(query);
    const wanted = window.offset + window.limit + 1;
    const read: AuditEntry[] = [];
    for (let i = this.#entries.length - 1; i >= 0 && read.length < wanted; i--) {
      const entry = this.#entries[i] as AuditEntry;
      if (entry.at < window.min) break;
      if (entry.at <= window.max && matchesAudit(entry, query)) read.push(entry);
    }
    return auditPage(read.slice(window.offset), window);
  }

  async list(limit = 100): Promise<AuditEntry[]> {
    return (await this.query({ limit: Math.min(limit, AUDIT_PAGE.max) })).entries;
  }

  /** The index of the first entry timed after `at` (the end if none). */
  #firstAfter(at: number): number {
    let low = 0;
    let high = this.#entries.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.#entries[middle] as AuditEntry).at <= at) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** Copies only the audit fields, so a caller passing a richer object cannot smuggle text into the log. */
export function auditRecord(entry: AuditEntry): AuditEntry {
  return {
    at: entry.at,
    handler: entry.handler,
    action: entry.action,
    ...(entry.ticketId === undefined ? {} : { ticketId: entry.ticketId }),
    ...(entry.address === undefined ? {} : { address: entry.address }),
    ...(entry.reason === undefined ? {} : { reason: entry.reason }),
    ...(entry.about === undefined ? {} : { about: entry.about }),
  };
}
