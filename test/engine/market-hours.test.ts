import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, describeOpen, isRegularSession, newYorkMinute, REGULAR_HOURS, ReportedMarketHours, stockClockAt } from '../../src/engine/market/market-hours.ts';

const at = (iso: string): number => Date.parse(iso);

describe('isRegularSession', () => {
  it('opens at 9:30:00 and closes at 16:00:00 New York time in winter (UTC−5)', () => {
    // Tuesday 3 November 2026, EST.
    expect(isRegularSession(at('2026-11-03T14:29:59.999Z'))).toBe(false);
    expect(isRegularSession(at('2026-11-03T14:30:00Z'))).toBe(true);
    expect(isRegularSession(at('2026-11-03T20:59:59.999Z'))).toBe(true);
    expect(isRegularSession(at('2026-11-03T21:00:00Z'))).toBe(false);
  });

  it('opens and closes an hour earlier in UTC in summer (UTC−4)', () => {
    // Tuesday 14 July 2026, EDT.
    expect(isRegularSession(at('2026-07-14T13:29:59Z'))).toBe(false);
    expect(isRegularSession(at('2026-07-14T13:30:00Z'))).toBe(true);
    expect(isRegularSession(at('2026-07-14T19:59:59Z'))).toBe(true);
    expect(isRegularSession(at('2026-07-14T20:00:00Z'))).toBe(false);
  });

  it('follows the spring DST change: open at 13:30 UTC on the Monday after, not on the Friday before', () => {
    // DST starts Sunday 8 March 2026.
    expect(isRegularSession(at('2026-03-06T13:30:00Z'))).toBe(false); // Friday 8:30 EST
    expect(isRegularSession(at('2026-03-06T14:30:00Z'))).toBe(true);
    expect(isRegularSession(at('2026-03-06T20:30:00Z'))).toBe(true); // Friday 15:30 EST
    expect(isRegularSession(at('2026-03-09T13:30:00Z'))).toBe(true); // Monday 9:30 EDT
    expect(isRegularSession(at('2026-03-09T20:30:00Z'))).toBe(false); // Monday 16:30 EDT
  });

  it('follows the autumn DST change: open at 13:30 UTC on the Friday before, not on the Monday after', () => {
    // DST ends Sunday 1 November 2026.
    expect(isRegularSession(at('2026-10-30T13:30:00Z'))).toBe(true); // Friday 9:30 EDT
    expect(isRegularSession(at('2026-10-30T20:00:00Z'))).toBe(false); // Friday 16:00 EDT
    expect(isRegularSession(at('2026-11-02T13:30:00Z'))).toBe(false); // Monday 8:30 EST
    expect(isRegularSession(at('2026-11-02T20:30:00Z'))).toBe(true); // Monday 15:30 EST
  });

  it('is closed all weekend, in session hours too', () => {
    expect(isRegularSession(at('2026-11-06T20:59:59Z'))).toBe(true); // Friday 15:59:59
    expect(isRegularSession(at('2026-11-07T15:30:00Z'))).toBe(false); // Saturday 10:30
    expect(isRegularSession(at('2026-11-08T18:00:00Z'))).toBe(false); // Sunday 13:00
    expect(isRegularSession(at('2026-11-09T14:30:00Z'))).toBe(true); // Monday 9:30
  });

  it('is closed at midnight New York time and for a time that is not a number', () => {
    expect(isRegularSession(at('2026-11-03T05:00:00Z'))).toBe(false);
    expect(isRegularSession(Number.NaN)).toBe(false);
  });
});

describe('REGULAR_HOURS', () => {
  it('crypto is always open; forex runs from Sunday 17:00 to Friday 17:00 New York time', () => {
    expect(REGULAR_HOURS.isOpen('crypto', at('2026-11-07T15:00:00Z'))).toBe(true); // Saturday
    expect(REGULAR_HOURS.isOpen('forex', at('2026-11-06T21:59:00Z'))).toBe(true); // Friday 16:59 EST
    expect(REGULAR_HOURS.isOpen('forex', at('2026-11-06T22:00:00Z'))).toBe(false); // Friday 17:00
    expect(REGULAR_HOURS.isOpen('forex', at('2026-11-08T21:59:00Z'))).toBe(false); // Sunday 16:59
    expect(REGULAR_HOURS.isOpen('forex', at('2026-11-08T22:00:00Z'))).toBe(true); // Sunday 17:00
  });

  it('gives the next open: the same morning, Monday after a Friday close, Sunday evening for forex', () => {
    expect(describeOpen(REGULAR_HOURS.nextOpen('stock', at('2026-11-03T12:00:00Z')))).toBe('Tue 09:30 ET');
    expect(REGULAR_HOURS.nextOpen('stock', at('2026-11-06T21:30:00Z'))).toBe(at('2026-11-09T14:30:00Z'));
    expect(REGULAR_HOURS.nextOpen('forex', at('2026-11-07T12:00:00Z'))).toBe(at('2026-11-08T22:00:00Z'));
    const open = at('2026-11-03T15:00:00Z');
    expect(REGULAR_HOURS.nextOpen('stock', open)).toBe(open);
  });
});

describe('ReportedMarketHours', () => {
  const tuesdayMorning = at('2026-11-03T15:00:00Z'); // 10:00 EST, in session

  it('follows the calendar until the provider reports', () => {
    const hours = new ReportedMarketHours();
    expect(hours.isOpen('stock', tuesdayMorning)).toBe(true);
    expect(hours.isOpen('stock', at('2026-11-03T05:00:00Z'))).toBe(false);
  });

  it('a reported close (a holiday) wins inside the session, and the next open is the next day', () => {
    const hours = new ReportedMarketHours();
    hours.update(tuesdayMorning, { stock: false });
    expect(hours.isOpen('stock', tuesdayMorning + 60_000)).toBe(false);
    expect(hours.nextOpen('stock', tuesdayMorning + 60_000)).toBe(at('2026-11-04T14:30:00Z'));
    expect(hours.isOpen('crypto', tuesdayMorning)).toBe(true);
  });

  it('once a session boundary passes after the report, the calendar decides until the next report', () => {
    const hours = new ReportedMarketHours();
    hours.update(at('2026-11-03T20:59:00Z'), { stock: true }); // 15:59, open
    expect(hours.isOpen('stock', at('2026-11-03T20:59:30Z'))).toBe(true);
    expect(hours.isOpen('stock', at('2026-11-03T21:00:30Z'))).toBe(false); // 16:00:30, closed by the calendar
    hours.update(at('2026-11-03T14:29:00Z'), { stock: false }); // 9:29, closed
    expect(hours.isOpen('stock', at('2026-11-03T14:30:10Z'))).toBe(true);
  });

  it('a report no longer renewed expires: the calendar decides again', () => {
    const hours = new ReportedMarketHours();
    hours.update(tuesdayMorning, { stock: false }, 180_000);
    expect(hours.isOpen('stock', tuesdayMorning + 179_000)).toBe(false);
    expect(hours.isOpen('stock', tuesdayMorning + 181_000)).toBe(true);
  });

  it('a report of crypto closed is honoured (Polygon says so during maintenance)', () => {
    const hours = new ReportedMarketHours();
    hours.update(tuesdayMorning, { stock: true, crypto: false });
    expect(hours.isOpen('crypto', tuesdayMorning)).toBe(false);
  });
});

describe('the New York clock an event is judged by', () => {
  it('is the wall clock Intl gives, at any instant, across the changes to and from daylight saving time', () => {
    const intl = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const wall = (ms: number) => {
      const parts = Object.fromEntries(intl.formatToParts(ms).map((part) => [part.type, part.value]));
      return { weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts['weekday']!), minute: Number(parts['hour']) * 60 + Number(parts['minute']) };
    };
    // 2026's changes: 8 March 07:00 UTC (2:00 EST -> 3:00 EDT) and 1 November 06:00 UTC (2:00 EDT -> 1:00 EST).
    const changes = [Date.parse('2026-03-08T07:00:00Z'), Date.parse('2026-11-01T06:00:00Z')];
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2031-01-01') }), fc.constantFrom(...changes).chain((at) => fc.integer({ min: at - 7_200_000, max: at + 7_200_000 }))), (ms) => {
        expect(newYorkMinute(ms)).toEqual(wall(ms));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('stockClockAt', () => {
  it('in the session: open, closing at 16:00 New York, opening next on the next trading day', () => {
    // Friday 6 November 2026, 10:00 EST.
    expect(stockClockAt(REGULAR_HOURS, at('2026-11-06T15:00:00Z'))).toEqual({
      time: at('2026-11-06T15:00:00Z'), isOpen: true, nextOpen: at('2026-11-09T14:30:00Z'), nextClose: at('2026-11-06T21:00:00Z'),
    });
  });

  it('closed: the next open, and that day’s close', () => {
    // Saturday 7 November 2026, 12:00 EST.
    expect(stockClockAt(REGULAR_HOURS, at('2026-11-07T17:00:00Z'))).toMatchObject({ isOpen: false, nextOpen: at('2026-11-09T14:30:00Z'), nextClose: at('2026-11-09T21:00:00Z') });
  });

  it('never says a close already past: hours open after 16:00 (as the fake Polygon’s, open at any hour) close at the next 16:00', () => {
    // Tuesday 3 November 2026, 17:57 EST.
    const clock = stockClockAt(ALWAYS_OPEN, at('2026-11-03T22:57:00Z'));
    expect(clock).toMatchObject({ isOpen: true, nextClose: at('2026-11-04T21:00:00Z') });
    expect(stockClockAt(ALWAYS_OPEN, at('2026-11-03T15:00:00Z')).nextClose).toBe(at('2026-11-03T21:00:00Z'));
  });
});
