import Holidays from 'date-holidays';
import type { Day, ForceProfile, HoursRange } from '../config/force-profile.js';

/** The UK nations `date-holidays` knows for GB; their bank holidays differ (Scotland, Northern Ireland). */
export type UkRegion = 'ENG' | 'WLS' | 'SCT' | 'NIR';

/**
 * UK public (bank) holidays for one nation, worked out by the maintained
 * `date-holidays` package rather than a hand-kept list that silently goes
 * stale (substitute days and one-off holidays included). Each year is
 * computed once per instance, so create one per process and pass it in.
 */
export class BankHolidays {
  readonly #calendar: Holidays;
  readonly #years = new Map<number, ReadonlySet<string>>();

  constructor({ region = 'ENG' }: { region?: UkRegion } = {}) {
    this.#calendar = new Holidays('GB', region, { types: ['public'] });
  }

  /** True when the London calendar date `YYYY-MM-DD` is a public holiday in this nation. */
  isHoliday(localDate: string): boolean {
    const year = Number(localDate.slice(0, 4));
    let dates = this.#years.get(year);
    if (!dates) {
      dates = new Set(
        this.#calendar
          .getHolidays(year)
          .filter((h) => h.type === 'public')
          .map((h) => h.date.slice(0, 10)),
      );
      this.#years.set(year, dates);
    }
    return dates.has(localDate);
  }
}

/** How {@link isWithinHandlerHours} decides, beyond the profile. */
export interface HandlerHoursOptions {
  /** `'always'` (from `HANDOFF_HOURS=always`): a 24/7 control room, or tests; ignores the profile and holidays. */
  readonly override?: 'always';
  /** The holiday calendar; pass one shared instance (a fresh England one is built when absent). */
  readonly holidays?: BankHolidays;
}

const WEEKDAYS: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The wall-clock date, weekday and minute of the day in London at `now`, whichever of GMT or BST applies. */
export function londonTime(now: Date): { date: string; day: Day; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const day = part('weekday').toLowerCase().slice(0, 3) as Day;
  if (!WEEKDAYS.includes(day)) throw new RangeError(`unexpected weekday "${part('weekday')}"`);
  return {
    date: `${part('year')}-${part('month')}-${part('day')}`,
    day,
    minutes: Number(part('hour')) * 60 + Number(part('minute')),
  };
}

function toMinutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function previousDay(day: Day): Day {
  return WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7] as Day;
}

/**
 * Whether one range covers a London weekday and minute. A range whose `to` is
 * not after its `from` runs overnight: it starts on the listed days and ends
 * on the next morning (`"to": "00:00"` ends exactly at midnight; equal times
 * mean 24 hours from `from`).
 */
function covers(range: HoursRange, day: Day, minutes: number): boolean {
  const from = toMinutes(range.from);
  const to = toMinutes(range.to);
  if (to > from) return range.days.includes(day) && minutes >= from && minutes < to;
  return (range.days.includes(day) && minutes >= from) || (range.days.includes(previousDay(day)) && minutes < to);
}

/**
 * Whether call handlers are on duty at `now`, so the bot can promise "a call
 * handler will be with you shortly" only when that is true. Hours are the
 * force's, in Europe/London local time (GMT or BST as the date requires). On a
 * public holiday in the nation's calendar (by the London date) nobody is on
 * duty unless the profile's hours are `'always'` or the override is set.
 */
export function isWithinHandlerHours(
  profile: Pick<ForceProfile, 'callHandlerHours'>,
  now: Date,
  { override, holidays }: HandlerHoursOptions = {},
): boolean {
  if (override === 'always' || profile.callHandlerHours === 'always') return true;
  const local = londonTime(now);
  if ((holidays ?? new BankHolidays()).isHoliday(local.date)) return false;
  return profile.callHandlerHours.some((range) => covers(range, local.day, local.minutes));
}
