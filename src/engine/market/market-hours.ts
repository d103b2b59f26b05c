import type { AssetClass } from './types.ts';
import { HolidayCalendar } from './holiday-calendar.ts';
import { dayOrderExpiry, newYorkWallTime, nextWallTime } from './trading-day.ts';

// When orders of an asset class may fill. A live broker fills stock orders only in the regular
// session, so a market order placed at night waits for the open; simulated and replayed markets
// trade whenever they have data (ALWAYS_OPEN), since a user runs them at any hour on purpose.

export interface MarketHours {
  isOpen(assetClass: AssetClass, now: number): boolean;
  /** The next instant it opens, for the message a waiting order carries. */
  nextOpen(assetClass: AssetClass, now: number): number;
  /** When a day order placed at `now` expires, where the hours know better than the plain calendar (an early close, a holiday). */
  dayOrderExpiry?(assetClass: AssetClass, now: number): { at: number; why?: string };
  /** Whether stocks trade in the pre-market (4:00–9:30 ET) or after hours (16:00–20:00 ET) now; absent: never outside the session. */
  isExtendedOpen?(now: number): boolean;
}

export const ALWAYS_OPEN: MarketHours = { isOpen: () => true, nextOpen: (_assetClass, now) => now };

/** The US stock market's clock at a time: whether its session is open, and its next open and close. */
export interface StockClock {
  time: number;
  isOpen: boolean;
  nextOpen: number;
  nextClose: number;
}

/**
 * The stock clock at `time` by `hours`. Early closes (13:00 on some half days) are not known: the
 * close is 16:00 New York, and never one already past (hours that say open after 16:00, as the
 * fake Polygon's do at any hour, close at the next day's).
 */
export function stockClockAt(hours: MarketHours, time: number): StockClock {
  const isOpen = hours.isOpen('stock', time);
  // Open now: the next open is a later day's; closed: the next one, and its day's close.
  const nextOpen = isOpen ? hours.nextOpen('stock', newYorkWallTime(time, 1, 0)) : hours.nextOpen('stock', time);
  const close = newYorkWallTime(isOpen ? time : nextOpen, 0, 16);
  return { time, isOpen, nextOpen, nextClose: close > time ? close : newYorkWallTime(time, 1, 16) };
}

const NEW_YORK = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const OPEN_MINUTE = 9 * 60 + 30;
const CLOSE_MINUTE = 16 * 60;
const FOREX_ROLL_MINUTE = 17 * 60;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MINUTE_MS = 60_000;

const HOUR_MS = 3_600_000;
/** The last UTC hour asked about, and its start in New York (weekday, minute of the day). */
let knownHour = Number.NaN;
let knownAt = { weekday: 0, minute: 0 };

/**
 * New York weekday (0 = Sunday) and minute of the day. New York's offset from UTC is whole hours
 * and changes only on the hour, so a UTC hour is one New York hour: Intl (a few microseconds) is
 * asked once an hour, not once an event (a backtest of a million bars asks a million times).
 */
export function newYorkMinute(ms: number): { weekday: number; minute: number } {
  const hour = Math.floor(ms / HOUR_MS);
  if (hour !== knownHour) {
    knownAt = newYorkMinuteByIntl(hour * HOUR_MS);
    knownHour = hour;
  }
  return { weekday: knownAt.weekday, minute: knownAt.minute + Math.floor((ms - hour * HOUR_MS) / MINUTE_MS) };
}

/** New York weekday and minute of the day; DST comes from Intl. */
function newYorkMinuteByIntl(ms: number): { weekday: number; minute: number } {
  let weekday = 0;
  let minute = 0;
  for (const part of NEW_YORK.formatToParts(ms)) {
    if (part.type === 'weekday') weekday = WEEKDAYS.indexOf(part.value);
    else if (part.type === 'hour') minute += Number(part.value) * 60;
    else if (part.type === 'minute') minute += Number(part.value);
  }
  return { weekday, minute };
}

/** True from 9:30:00 up to (not including) 16:00:00 New York time on weekdays. Holidays are not known here. */
export function isRegularSession(ms: number): boolean {
  if (!Number.isFinite(ms)) return false;
  const { weekday, minute } = newYorkMinute(ms);
  return weekday >= 1 && weekday <= 5 && minute >= OPEN_MINUTE && minute < CLOSE_MINUTE;
}

/** After hours last four hours from the close: 16:00–20:00, or 13:00–17:00 after an early close. */
export const AFTER_HOURS_MS = 4 * 3_600_000;

/** True from 4:00 to 9:30 and from 16:00 to 20:00 New York time on weekdays: the pre-market and after hours. */
export function isExtendedSession(ms: number): boolean {
  if (!Number.isFinite(ms)) return false;
  const { weekday, minute } = newYorkMinute(ms);
  const extended = (minute >= 4 * 60 && minute < OPEN_MINUTE) || (minute >= CLOSE_MINUTE && minute < 20 * 60);
  return weekday >= 1 && weekday <= 5 && extended;
}

/** Forex trades from Sunday 17:00 to Friday 17:00 New York time. */
function isForexSession(ms: number): boolean {
  const { weekday, minute } = newYorkMinute(ms);
  if (weekday === 6) return false;
  if (weekday === 0) return minute >= FOREX_ROLL_MINUTE;
  if (weekday === 5) return minute < FOREX_ROLL_MINUTE;
  return true;
}

const nextStockOpen = (now: number): number => nextWallTime(now, 9, 30, isRegularSession, 8) ?? now;
const nextForexOpen = (now: number): number => nextWallTime(now, 17, 0, isForexSession, 8) ?? now;

/** The exchange calendar without holidays: stocks 9:30–16:00 ET weekdays, forex Sunday to Friday 17:00 ET, crypto always. */
export const REGULAR_HOURS: MarketHours = {
  isOpen(assetClass, now) {
    if (assetClass === 'crypto') return true;
    // Sessions change on whole minutes: remember the last answer per minute (this runs per event).
    const minute = Math.floor(now / MINUTE_MS);
    const cached = lastAnswer[assetClass];
    if (cached?.minute === minute) return cached.open;
    const open = assetClass === 'stock' ? isRegularSession(now) : isForexSession(now);
    lastAnswer[assetClass] = { minute, open };
    return open;
  },
  nextOpen(assetClass, now) {
    if (assetClass === 'crypto' || this.isOpen(assetClass, now)) return now;
    // The answer holds for every closed instant before it (each order placed at night asks): remember it.
    const cached = lastOpen[assetClass];
    if (cached && now >= cached.from && now < cached.until) return cached.until;
    const until = assetClass === 'stock' ? nextStockOpen(now) : nextForexOpen(now);
    lastOpen[assetClass] = { from: now, until };
    return until;
  },
  isExtendedOpen: isExtendedSession,
};

const lastAnswer: Partial<Record<AssetClass, { minute: number; open: boolean }>> = {};
const lastOpen: Partial<Record<AssetClass, { from: number; until: number }>> = {};

/**
 * Hours as the data provider last reported them (e.g. Polygon's market status, which knows
 * holidays), falling back to the calendar when the report is missing or a session boundary
 * has passed since it was taken.
 */
export class ReportedMarketHours implements MarketHours {
  /** Stock holidays and early closes, from the provider's upcoming market status. */
  readonly holidays = new HolidayCalendar();
  /** `open`: as reported; `calendar`: what the calendar said at the report's time, worked out once. */
  #report: { until: number; open: Partial<Record<AssetClass, boolean>>; calendar: Partial<Record<AssetClass, boolean>> } | undefined;

  /**
   * `open` per asset class as reported at `at`; a class left out follows the calendar. The report
   * holds for `validForMs` (a few polls): reports that stop coming leave the calendar in charge,
   * so a holiday's "closed" cannot outlive the holiday.
   */
  update(at: number, open: Partial<Record<AssetClass, boolean>>, validForMs = Infinity): void {
    const calendar: Partial<Record<AssetClass, boolean>> = {};
    for (const assetClass of Object.keys(open) as AssetClass[]) calendar[assetClass] = REGULAR_HOURS.isOpen(assetClass, at);
    this.#report = { until: at + validForMs, open, calendar };
  }

  isOpen(assetClass: AssetClass, now: number): boolean {
    if (assetClass === 'stock') {
      const special = this.holidays.dayOf(now);
      if (special?.closed || (special?.closesAt !== undefined && now >= special.closesAt)) return false;
    }
    const calendar = REGULAR_HOURS.isOpen(assetClass, now);
    const report = this.#report;
    const reported = report?.open[assetClass];
    if (report === undefined || reported === undefined || now > report.until) return calendar;
    if (report.calendar[assetClass] !== calendar) return calendar;
    return reported;
  }

  /** The pre-market and after hours of a day that is not a holiday; after an early close, after hours are its four hours after it. */
  isExtendedOpen(now: number): boolean {
    const special = this.holidays.dayOf(now);
    if (special?.closed) return false;
    if (special?.closesAt === undefined) return isExtendedSession(now);
    const preMarket = isExtendedSession(now) && now < special.closesAt;
    return preMarket || (now >= special.closesAt && now < special.closesAt + AFTER_HOURS_MS);
  }

  nextOpen(assetClass: AssetClass, now: number): number {
    if (this.isOpen(assetClass, now)) return now;
    let next = REGULAR_HOURS.nextOpen(assetClass, now);
    // Closed in the calendar's session (a holiday, an early close): the next day's open.
    if (next === now) next = REGULAR_HOURS.nextOpen(assetClass, newYorkWallTime(now, 1, 0));
    // Over the holidays the provider listed.
    for (let days = 0; assetClass === 'stock' && this.holidays.dayOf(next)?.closed && days < 14; days++) {
      next = REGULAR_HOURS.nextOpen(assetClass, newYorkWallTime(next, 1, 0));
    }
    return next;
  }

  /** A stock day order expires at the day's early close, and not on a holiday but at the next session's close. */
  dayOrderExpiry(assetClass: AssetClass, now: number): { at: number; why?: string } {
    let at = dayOrderExpiry(now, assetClass);
    if (assetClass !== 'stock') return { at };
    for (let days = 0; days < 14; days++) {
      const special = this.holidays.dayOf(at);
      if (special?.closesAt !== undefined && special.closesAt > now) return { at: Math.min(at, special.closesAt), why: `the ${describeOpen(special.closesAt).slice(4)} early close (${special.name})` };
      if (!special?.closed && special?.closesAt === undefined) return { at };
      // A holiday, or a day whose early close has passed: the next session's close.
      at = dayOrderExpiry(at, assetClass);
    }
    return { at };
  }
}

/** "Thu 09:30 ET": when a closed market opens, in the exchange's time. */
export const describeOpen = (ms: number): string => `${NEW_YORK.format(ms).replace(',', '')} ET`;
