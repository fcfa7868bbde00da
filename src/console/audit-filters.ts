import type { AuditQuery } from '../handoff/handoff-model.js';

/** Entries per page the console asks for unless told otherwise, and the most it may ask for. */
export const AUDIT_API_PAGE = { size: 50, max: 200 } as const;

/** The filters as the audit page's form and address carry them; all optional strings. */
export interface AuditFilterFields {
  readonly handler?: string;
  readonly ticket?: string;
  /** A London date, `YYYY-MM-DD`: from the start of that day. */
  readonly from?: string;
  /** A London date, `YYYY-MM-DD`: to the end of that day. */
  readonly to?: string;
}

const HANDLER = /^[a-z0-9._-]{1,32}$/;
const TICKET = /^[A-Za-z0-9-]{1,64}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CURSOR = /^(\d{1,16})\.(\d{1,7})$/;
const LIMIT = /^\d{1,4}$/;

/** The filter fields of a request's query string, as given (for the page's form), ignoring anything else. */
export function auditFilterFields(query: unknown): AuditFilterFields {
  const fields = typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
  const text = (name: string) => (typeof fields[name] === 'string' && fields[name] !== '' ? { [name]: fields[name] as string } : {});
  return { ...text('handler'), ...text('ticket'), ...text('from'), ...text('to') };
}

/**
 * The audit query a request asks for, or undefined if any part of it is
 * malformed: a handler's username, a ticket id, London dates (whole days, in
 * GMT or BST as the date requires) with `from` not after `to`, a page size,
 * and the cursor of the previous page. Empty fields mean no filter.
 */
export function parseAuditQuery(query: unknown): AuditQuery | undefined {
  const fields = typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
  const given: Record<string, string> = {};
  for (const name of ['handler', 'ticket', 'from', 'to', 'limit', 'after']) {
    const value = fields[name];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') return undefined;
    given[name] = value;
  }
  const { handler, ticket, from, to, limit, after } = given;
  if (handler !== undefined && !HANDLER.test(handler)) return undefined;
  if (ticket !== undefined && !TICKET.test(ticket)) return undefined;
  const fromAt = from === undefined ? undefined : londonDayStart(from);
  const toAt = to === undefined ? undefined : londonDayEnd(to);
  if (fromAt === null || toAt === null || (fromAt !== undefined && toAt !== undefined && fromAt > toAt)) return undefined;
  const size = limit === undefined ? AUDIT_API_PAGE.size : LIMIT.test(limit) ? Number(limit) : 0;
  if (size < 1 || size > AUDIT_API_PAGE.max) return undefined;
  const cursor = after === undefined ? undefined : CURSOR.exec(after);
  if (cursor === null) return undefined;
  return {
    ...(handler !== undefined && { handler }),
    ...(ticket !== undefined && { ticketId: ticket }),
    ...(fromAt !== undefined && { from: fromAt }),
    ...(toAt !== undefined && { to: toAt }),
    limit: size,
    ...(cursor && { after: { to: Number(cursor[1]), offset: Number(cursor[2]) } }),
  };
}

/** A page's cursor as the API hands it out: `<time>.<offset>`. */
export function formatAuditCursor(cursor: { to: number; offset: number }): string {
  return `${cursor.to}.${cursor.offset}`;
}

/**
 * When a London calendar day starts (epoch ms), or null for a malformed or
 * impossible date. The clocks change at 01:00 UTC, so London's offset at
 * midnight UTC of a date is its offset at the start of that day.
 */
export function londonDayStart(date: string): number | null {
  const match = DATE.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utcMidnight = Date.UTC(year, month - 1, day);
  const check = new Date(utcMidnight);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return utcMidnight - londonOffsetMs(utcMidnight);
}

/** How far London's clock is ahead of UTC at an instant: 0 in GMT, an hour in BST. */
function londonOffsetMs(at: number): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(at));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute')) - at;
}

/** The last millisecond of a London calendar day, or null for a malformed or impossible date. */
export function londonDayEnd(date: string): number | null {
  if (londonDayStart(date) === null) return null;
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
  return (londonDayStart(next) as number) - 1;
}
