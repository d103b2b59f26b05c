import type { AssetClass } from './types.ts';

const NEW_YORK = 'America/New_York';
const DAY_MS = 86_400_000;

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: NEW_YORK, timeZoneName: 'longOffset' });
const dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: NEW_YORK, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Minutes New York is ahead of UTC at this instant (−300 in winter, −240 in summer). */
function newYorkOffsetMinutes(ms: number): number {
  const name = offsetFormat.formatToParts(ms).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** The New York calendar day of `ms`, as YYYY-MM-DD. */
export const newYorkDate = (ms: number): string => dateFormat.format(ms);

/** Noon UTC of a YYYY-MM-DD date: an instant on that calendar day whatever the zone, for date arithmetic. */
const noonOf = (date: string): number => Date.parse(`${date}T12:00:00Z`);

/** When a New York calendar day (YYYY-MM-DD) starts: its midnight, as a UTC instant. */
export const newYorkDayStart = (date: string): number => newYorkWallTime(noonOf(date), 0, 0);

/** The YYYY-MM-DD date `days` calendar days after `date` (before it when negative). */
export const addDays = (date: string, days: number): string => new Date(noonOf(date) + days * DAY_MS).toISOString().slice(0, 10);

/** Calendar days from one YYYY-MM-DD date to a later one ("2026-11-06" to "2026-11-09" is 3). */
export const daysBetween = (from: string, to: string): number => Math.round((noonOf(to) - noonOf(from)) / DAY_MS);

/** Whether a YYYY-MM-DD date is a Saturday or a Sunday. */
export const isWeekendDate = (date: string): boolean => [0, 6].includes(new Date(noonOf(date)).getUTCDay());

/** The UTC instant of a New York wall-clock time on the New York calendar day of `ms`, shifted by `days`. */
export function newYorkWallTime(ms: number, days: number, hour: number, minute = 0): number {
  const [year, month, day] = dateFormat.format(ms).split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(year, month - 1, day + days, hour, minute);
  const first = guess - newYorkOffsetMinutes(guess) * 60_000;
  return guess - newYorkOffsetMinutes(first) * 60_000;
}

const isWeekend = (ms: number): boolean => {
  const weekday = new Date(ms - 5 * 3_600_000).getUTCDay();
  return weekday === 0 || weekday === 6;
};

/**
 * When a day order placed at `now` expires: stocks at the 16:00 New York close (the next
 * weekday's if placed after it), forex at the 17:00 New York roll, crypto at 00:00 UTC.
 * Exchange holidays are not known here: a day order placed on one expires at that day's close.
 */
export function dayOrderExpiry(now: number, assetClass: AssetClass): number {
  if (assetClass === 'crypto') return Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
  // The answer is the first close after now, so it holds for every later time before it.
  const cached = lastExpiry[assetClass];
  if (cached && now >= cached.from && now < cached.until) return cached.until;
  const until = nextClose(now, assetClass);
  lastExpiry[assetClass] = { from: now, until };
  return until;
}

const lastExpiry: Partial<Record<AssetClass, { from: number; until: number }>> = {};

function nextClose(now: number, assetClass: AssetClass): number {
  return nextWallTime(now, assetClass === 'stock' ? 16 : 17, 0, (close) => !isWeekend(close))!;
}

/** The first New York wall-clock time hour:minute after `now`, on a day `accept` takes; undefined after `maxDays` days. */
export function nextWallTime(now: number, hour: number, minute: number, accept: (ms: number) => boolean, maxDays = Infinity): number | undefined {
  for (let days = 0; days < maxDays; days++) {
    const at = newYorkWallTime(now, days, hour, minute);
    if (at > now && accept(at)) return at;
  }
  return undefined;
}

export const describeExpiry = (assetClass: AssetClass): string =>
  assetClass === 'crypto' ? '00:00 UTC' : assetClass === 'stock' ? 'the 16:00 ET close' : 'the 17:00 ET forex roll';
