import type { AuditEntry, AuditPage, AuditQuery } from './handoff-model.js';

/** Page sizes of the audit log: the default, and the most one page can hold. */
export const AUDIT_PAGE = { size: 50, max: 1000 } as const;

/** The retention period when none is configured (`AUDIT_RETENTION_DAYS`). */
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;

/**
 * The part of the log a query reads, newest first: entries timed from `min`
 * to `max` (inclusive), skipping the first `offset` (those at exactly `max`
 * that the previous page showed), `limit` of them.
 */
export interface AuditWindow {
  readonly min: number;
  readonly max: number;
  readonly offset: number;
  readonly limit: number;
}

/** The window of a query: its date range, narrowed by the cursor of the page before. */
export function auditWindow(query: AuditQuery): AuditWindow {
  const limit = Math.max(0, Math.min(AUDIT_PAGE.max, Math.floor(query.limit ?? AUDIT_PAGE.size)));
  return {
    min: query.from ?? -Infinity,
    max: Math.min(query.to ?? Infinity, query.after?.to ?? Infinity),
    offset: query.after?.offset ?? 0,
    limit,
  };
}

/**
 * A page from the entries read for a window (newest first, up to `limit + 1`
 * of them: one more than fits says there is a next page). The cursor is the
 * last entry's time and how many shown entries share it, so the next page
 * starts exactly after it even when many entries share one millisecond, and
 * entries written meanwhile (newer) do not move it.
 */
export function auditPage(read: readonly AuditEntry[], window: AuditWindow): AuditPage {
  const entries = read.slice(0, window.limit);
  const last = entries.at(-1);
  if (read.length <= window.limit || !last) return { entries };
  const sameTime = entries.filter((e) => e.at === last.at).length;
  return { entries, next: { to: last.at, offset: last.at === window.max ? window.offset + sameTime : sameTime } };
}

/** Whether an entry matches a query's handler and ticket filters (the date range is the window's). */
export function matchesAudit(entry: AuditEntry, { handler, ticketId }: AuditQuery): boolean {
  return (handler === undefined || entry.handler === handler || entry.about === handler) && (ticketId === undefined || entry.ticketId === ticketId);
}

/** The page of a query from entries already in order, newest first, and filtered. */
export function pageOf(newestFirst: readonly AuditEntry[], window: AuditWindow): AuditPage {
  const inRange = newestFirst.filter((e) => e.at <= window.max && e.at >= window.min);
  return auditPage(inRange.slice(window.offset, window.offset + window.limit + 1), window);
}
