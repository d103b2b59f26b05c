// Minute bars for any past day, as Polygon keeps them for every ticker: what a backtest downloads.
// Made up but deterministic (the same ticker and minute give the same bar in every run and every
// request), and shaped like Polygon's: a stock has bars from 04:00 to 20:00 New York on trading
// days only (pre- and after-market minutes only some of the time, when something printed), crypto
// every minute of every day, forex from Sunday 17:00 to Friday 17:00 New York. Each price is a
// slow trend plus noise, so moving averages cross a few times a day, as they do on real data.
import { newYorkDate, newYorkWallTime } from '../../src/engine/market/trading-day.ts';

const MINUTE = 60_000;

/** NYSE full-day closures, 2024-2026 (nyse.com/markets/hours-calendars; 2025-01-09: the national day of mourning for President Carter). */
const HOLIDAYS = new Set([
  '2024-01-01', '2024-01-15', '2024-02-19', '2024-03-29', '2024-05-27', '2024-06-19', '2024-07-04', '2024-09-02', '2024-11-28', '2024-12-25',
  '2025-01-01', '2025-01-09', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-11-27', '2025-12-25',
  '2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25',
]);

/** A number in [0, 1) from a ticker and a minute: the same every time. */
function noise(seed: number, minute: number): number {
  let h = (seed ^ Math.imul(minute, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4_294_967_296;
}

function seedOf(ticker: string): number {
  let h = 2166136261;
  for (const c of ticker) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

const BASE: Record<string, number> = { AAPL: 190, MSFT: 420, NVDA: 480, TSLA: 240, AMZN: 180, 'X:BTCUSD': 60_000, 'X:ETHUSD': 3_000, 'C:EURUSD': 1.08, 'C:GBPUSD': 1.27 };

/** A New York day's first price: a slow drift of a few percent over weeks, and an overnight gap. */
function dayAnchor(ticker: string, seed: number, dayStart: number): number {
  const base = BASE[ticker] ?? 20 + (seed % 300);
  const day = Math.round(dayStart / 86_400_000);
  return base * (1 + 0.08 * Math.sin(day / 23 + (seed % 11)) + 0.01 * (noise(seed + 5, day) - 0.5));
}

/** One minute's step of the day's random walk: about 0.08% on average, either way. */
const step = (seed: number, minute: number): number => 0.0028 * (noise(seed, minute) - 0.5);

const decimalsOf = (ticker: string): number => (ticker.startsWith('C:') ? 5 : 2);

/** A New York day's hours, worked out once for all its minutes. */
interface DayHours {
  start: number;
  end: number;
  weekday: number;
  holiday: boolean;
  /** 04:00, 09:30, 16:00, 20:00 and (forex) 17:00 New York. */
  pre: number;
  open: number;
  close: number;
  post: number;
  five: number;
}

function dayHours(t: number): DayHours {
  const date = newYorkDate(t);
  const start = newYorkWallTime(t, 0, 0);
  return {
    start,
    end: newYorkWallTime(t, 1, 0),
    weekday: new Date(`${date}T12:00:00Z`).getUTCDay(),
    holiday: HOLIDAYS.has(date),
    pre: newYorkWallTime(t, 0, 4),
    open: newYorkWallTime(t, 0, 9, 30),
    close: newYorkWallTime(t, 0, 16),
    post: newYorkWallTime(t, 0, 20),
    five: newYorkWallTime(t, 0, 17),
  };
}

/** Whether the ticker traded in the minute starting at `t` (Polygon sends no bar for a minute without trades). */
function traded(ticker: string, seed: number, t: number, day: DayHours): boolean {
  if (ticker.startsWith('X:')) return true;
  const { weekday } = day;
  // Forex: Sunday 17:00 to Friday 17:00 New York.
  if (ticker.startsWith('C:')) return !(weekday === 6 || (weekday === 0 && t < day.five) || (weekday === 5 && t >= day.five));
  if (weekday === 0 || weekday === 6 || day.holiday || t < day.pre || t >= day.post) return false;
  return (t >= day.open && t < day.close) || noise(seed ^ 0x5bd1e995, t / MINUTE) < 0.3;
}

/** Polygon's aggregate results (`t` = start ms) for every minute with trades in [fromMs, toMs]. */
export function syntheticMinuteBars(ticker: string, fromMs: number, toMs: number): Record<string, number>[] {
  const seed = seedOf(ticker);
  const digits = decimalsOf(ticker);
  const round = (value: number): number => Number(value.toFixed(digits));
  const results: Record<string, number>[] = [];
  let day: DayHours | undefined;
  // Each day's walk starts at its midnight, wherever the request starts: the same minute has the same price in every request.
  let price = 0;
  for (let t = dayHours(fromMs).start; t <= toMs; t += MINUTE) {
    if (!day || t >= day.end || t < day.start) {
      day = dayHours(t);
      price = dayAnchor(ticker, seed, day.start);
    }
    const minute = t / MINUTE;
    const open = price;
    price *= 1 + step(seed, minute);
    if (t < fromMs || !traded(ticker, seed, t, day)) continue;
    const o = round(open);
    const c = round(price);
    const spread = open * 0.0008;
    const h = round(Math.max(o, c) + spread * noise(seed + 1, minute));
    const l = round(Math.min(o, c) - spread * noise(seed + 2, minute));
    // At least four round lots: the minute's four trades (fake-polygon-tick-history.ts) are each one or more.
    const v = ticker.startsWith('C:') ? 1 + Math.floor(noise(seed + 3, minute) * 60) : 400 + Math.floor(noise(seed + 3, minute) * 9_600);
    results.push({ v, vw: round((o + h + l + c) / 4), o, c, h, l, t, n: 1 + Math.floor(v / 100) });
  }
  return results;
}

const SPAN_MS: Partial<Record<string, number>> = { minute: MINUTE, hour: 60 * MINUTE };

/**
 * Aggregates of `multiplier` × `timespan` over [fromMs, toMs], made from the minute bars as Polygon
 * makes them: minutes and hours by fixed windows from the epoch, days by New York date (a day bar
 * starts at New York midnight). Other spans have none here.
 */
export function syntheticAggregates(ticker: string, multiplier: number, timespan: string, fromMs: number, toMs: number): Record<string, number>[] {
  const minutes = syntheticMinuteBars(ticker, fromMs, toMs);
  const span = SPAN_MS[timespan];
  if (span === undefined && timespan !== 'day') return [];
  if (span === MINUTE && multiplier === 1) return minutes;
  const windowOf = (t: number): number => (span !== undefined ? Math.floor(t / (span * multiplier)) * span * multiplier : newYorkWallTime(t, 0, 0));
  const out: Record<string, number>[] = [];
  for (const bar of minutes) {
    const t = windowOf(bar['t']!);
    const last = out.at(-1);
    if (last && last['t'] === t) {
      last['h'] = Math.max(last['h']!, bar['h']!);
      last['l'] = Math.min(last['l']!, bar['l']!);
      last['c'] = bar['c']!;
      last['v'] = last['v']! + bar['v']!;
      last['n'] = last['n']! + bar['n']!;
    } else {
      out.push({ ...bar, t });
    }
  }
  return out;
}
