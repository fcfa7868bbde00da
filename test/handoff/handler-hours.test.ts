import { describe, expect, it } from 'vitest';
import type { ForceProfile } from '../../src/config/force-profile.js';
import { BankHolidays, isWithinHandlerHours, londonTime } from '../../src/handoff/handler-hours.js';

type Hours = ForceProfile['callHandlerHours'];
const officeHours: Hours = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00' }];
const holidays = new BankHolidays();
const open = (hours: Hours, iso: string, override?: 'always') =>
  isWithinHandlerHours({ callHandlerHours: hours }, new Date(iso), { holidays, ...(override ? { override } : {}) });

describe('londonTime', () => {
  it('gives the London date, weekday and minute, in GMT in winter and BST in summer', () => {
    expect(londonTime(new Date('2026-01-14T09:30:00Z'))).toEqual({ date: '2026-01-14', day: 'wed', minutes: 9 * 60 + 30 });
    expect(londonTime(new Date('2026-07-15T23:30:00Z'))).toEqual({ date: '2026-07-16', day: 'thu', minutes: 30 });
  });
});

describe('isWithinHandlerHours', () => {
  it('is open on a weekday inside the hours and closed before, after and at the weekend', () => {
    expect(open(officeHours, '2026-01-14T10:00:00Z')).toBe(true);
    expect(open(officeHours, '2026-01-14T08:00:00Z')).toBe(true);
    expect(open(officeHours, '2026-01-14T07:59:00Z')).toBe(false);
    expect(open(officeHours, '2026-01-14T17:59:00Z')).toBe(true);
    expect(open(officeHours, '2026-01-14T18:00:00Z')).toBe(false);
    expect(open(officeHours, '2026-01-17T10:00:00Z')).toBe(false);
  });

  it('combines several ranges', () => {
    const hours: Hours = [...officeHours, { days: ['sat'], from: '10:00', to: '14:00' }];
    expect(open(hours, '2026-01-17T11:00:00Z')).toBe(true);
    expect(open(hours, '2026-01-17T15:00:00Z')).toBe(false);
  });

  it('treats a range ending at "00:00" as running to midnight and no further', () => {
    const evenings: Hours = [{ days: ['fri'], from: '20:00', to: '00:00' }];
    expect(open(evenings, '2026-01-16T19:59:00Z')).toBe(false);
    expect(open(evenings, '2026-01-16T20:00:00Z')).toBe(true);
    expect(open(evenings, '2026-01-16T23:59:00Z')).toBe(true);
    expect(open(evenings, '2026-01-17T00:00:00Z')).toBe(false);
    expect(open(evenings, '2026-01-17T21:00:00Z')).toBe(false);
  });

  it('runs a range whose end is before its start overnight, into the next morning', () => {
    const nights: Hours = [{ days: ['sat'], from: '22:00', to: '06:00' }];
    expect(open(nights, '2026-01-17T23:00:00Z')).toBe(true);
    expect(open(nights, '2026-01-18T05:59:00Z')).toBe(true);
    expect(open(nights, '2026-01-18T06:00:00Z')).toBe(false);
    expect(open(nights, '2026-01-17T05:00:00Z')).toBe(false);
  });

  it('follows London time across the change to BST on the last Sunday of March', () => {
    // Friday 27 March 2026 is GMT: 07:30 UTC is 07:30 in London.
    expect(open(officeHours, '2026-03-27T07:30:00Z')).toBe(false);
    // Monday 30 March 2026 is BST: 07:30 UTC is 08:30 in London, 17:30 UTC is 18:30.
    expect(open(officeHours, '2026-03-30T07:30:00Z')).toBe(true);
    expect(open(officeHours, '2026-03-30T16:59:00Z')).toBe(true);
    expect(open(officeHours, '2026-03-30T17:30:00Z')).toBe(false);
    // On the day itself the clocks jump from 01:00 GMT to 02:00 BST.
    const early: Hours = [{ days: ['sun'], from: '02:00', to: '03:00' }];
    expect(open(early, '2026-03-29T00:59:00Z')).toBe(false);
    expect(open(early, '2026-03-29T01:00:00Z')).toBe(true);
  });

  it('follows London time across the change back to GMT on the last Sunday of October', () => {
    // Friday 23 October 2026 is BST: 07:30 UTC is 08:30 in London.
    expect(open(officeHours, '2026-10-23T07:30:00Z')).toBe(true);
    // Monday 26 October 2026 is GMT: 07:30 UTC is 07:30 in London.
    expect(open(officeHours, '2026-10-26T07:30:00Z')).toBe(false);
    expect(open(officeHours, '2026-10-26T17:30:00Z')).toBe(true);
  });

  it('is closed on bank holidays: Christmas Day, Easter Monday and a substitute Boxing Day in 2026', () => {
    expect(open(officeHours, '2026-12-25T10:00:00Z')).toBe(false);
    expect(open(officeHours, '2026-04-06T09:00:00Z')).toBe(false);
    expect(open(officeHours, '2026-12-28T10:00:00Z')).toBe(false);
    expect(open(officeHours, '2026-12-24T10:00:00Z')).toBe(true);
    expect(open(officeHours, '2026-04-07T09:00:00Z')).toBe(true);
  });

  it('judges a bank holiday by the London date, not the UTC one', () => {
    const nights: Hours = [{ days: ['sun'], from: '22:00', to: '06:00' }];
    // 23:30 UTC on Sunday 5 April 2026 is 00:30 BST on Easter Monday.
    expect(open(nights, '2026-04-05T23:30:00Z')).toBe(false);
    expect(open(nights, '2026-04-05T21:30:00Z')).toBe(true);
  });

  it('is always open when the profile says "always", holidays included', () => {
    expect(open('always', '2026-12-25T03:00:00Z')).toBe(true);
    expect(open('always', '2026-01-17T23:00:00Z')).toBe(true);
  });

  it('is always open with the "always" override, whatever the profile and the day', () => {
    expect(open(officeHours, '2026-01-17T23:00:00Z', 'always')).toBe(true);
    expect(open(officeHours, '2026-12-25T10:00:00Z', 'always')).toBe(true);
  });

  it('builds an England calendar when none is passed', () => {
    expect(isWithinHandlerHours({ callHandlerHours: officeHours }, new Date('2026-12-25T10:00:00Z'))).toBe(false);
    expect(isWithinHandlerHours({ callHandlerHours: officeHours }, new Date('2026-01-14T10:00:00Z'))).toBe(true);
  });
});

describe('BankHolidays', () => {
  it('knows England’s public holidays and not ordinary days', () => {
    const england = new BankHolidays();
    expect(england.isHoliday('2026-12-25')).toBe(true);
    expect(england.isHoliday('2026-04-06')).toBe(true);
    expect(england.isHoliday('2026-08-31')).toBe(true);
    expect(england.isHoliday('2026-01-02')).toBe(false);
    expect(england.isHoliday('2027-12-27')).toBe(true);
  });

  it('follows the nation asked for: Scotland has 2 January and no Easter Monday', () => {
    const scotland = new BankHolidays({ region: 'SCT' });
    expect(scotland.isHoliday('2026-01-02')).toBe(true);
    expect(scotland.isHoliday('2026-04-06')).toBe(false);
  });
});
