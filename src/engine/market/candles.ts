// Candles for a symbol's chart: the provider's bars where it has a past (Polygon's aggregates),
// and the engine's own minute bars, recorded from the prices it saw, for the rest.
import { formatPrice, formatQty, type Price, type Qty } from '../money.ts';
import { newYorkDate, newYorkDayStart } from './trading-day.ts';
import type { Bar } from './types.ts';

export type CandleRange = '1D' | '5D' | '1M';
export const CANDLE_RANGES: readonly CandleRange[] = ['1D', '5D', '1M'];

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** How each range is drawn: one candle per `minutes` (a New York day for 1M), over the last `days` New York days with prices. */
export const RANGE_SPEC: Readonly<Record<CandleRange, { minutes: number; days: number; lookbackMs: number }>> = {
  '1D': { minutes: 5, days: 1, lookbackMs: 5 * DAY_MS },
  '5D': { minutes: 30, days: 5, lookbackMs: 10 * DAY_MS },
  '1M': { minutes: 1440, days: 23, lookbackMs: 32 * DAY_MS },
};

export interface Candle {
  /** Unix ms of the candle's first minute. */
  start: number;
  open: Price;
  high: Price;
  low: Price;
  close: Price;
  volume: Qty;
}

/** A candle as the API and the screen read it: exact decimal strings. */
export interface CandleView {
  start: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

export interface CandleSeries {
  symbol: string;
  range: CandleRange;
  /** One candle's span in minutes (1440: a New York day). */
  minutes: number;
  /** provider: the provider's history with today's live minutes after it; recorded: only what this run has seen. */
  source: 'provider' | 'recorded';
  candles: CandleView[];
}

export const candleView = (candle: Candle): CandleView => ({
  start: candle.start,
  open: formatPrice(candle.open),
  high: formatPrice(candle.high),
  low: formatPrice(candle.low),
  close: formatPrice(candle.close),
  volume: formatQty(candle.volume),
});

export const candleOfBar = (bar: Bar): Candle => ({ start: bar.start, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume });

/** Where a candle of `minutes` holding `time` starts: on the minute grid, or at the New York day's midnight. */
const bucketOf = (time: number, minutes: number): number => (minutes >= 1440 ? newYorkDayStart(newYorkDate(time)) : Math.floor(time / (minutes * MINUTE_MS)) * minutes * MINUTE_MS);

/** Bars (oldest first) merged into candles of `minutes`: first open, highest high, lowest low, last close, summed volume. */
export function aggregateCandles(bars: readonly Candle[], minutes: number): Candle[] {
  const out: Candle[] = [];
  let key: number | undefined;
  for (const bar of bars) {
    const bucket = bucketOf(bar.start, minutes);
    const last = out.at(-1);
    if (last && bucket === key) {
      if (bar.high > last.high) last.high = bar.high;
      if (bar.low < last.low) last.low = bar.low;
      last.close = bar.close;
      last.volume += bar.volume;
      continue;
    }
    key = bucket;
    out.push({ ...bar, start: bucket });
  }
  return out;
}

/** The candles of the last `days` New York days that have any. */
export function lastDays(candles: readonly Candle[], days: number): Candle[] {
  const seen = new Set<string>();
  let from = candles.length;
  while (from > 0) {
    const date = newYorkDate(candles[from - 1]!.start);
    if (!seen.has(date) && seen.size === days) break;
    seen.add(date);
    from--;
  }
  return candles.slice(from);
}

/** Minute bars kept per symbol, for a chart of the last few days without a provider's past. */
const KEEP_MINUTES = 1440;
/** Thirty-minute bars kept per symbol: a month of them. */
const KEEP_HALF_HOURS = 32 * 48;
const HALF_HOUR_MS = 30 * MINUTE_MS;

/** One symbol's bars, and the two it is filling now (looked up once an event). */
interface Recorded {
  minutes: Candle[];
  halfHours: Candle[];
  minute: Candle;
  halfHour: Candle;
}

/**
 * The minute bars of each symbol this run has seen prices for, built from its marks: the last day
 * of minutes, and the last month of half hours (so memory stays flat however long it runs).
 */
export class CandleRecorder {
  readonly #symbols = new Map<string, Recorded>();

  /** Called for every market event: one lookup, and in the same minute two compares a bar. */
  record(symbol: string, time: number, price: Price, volume: Qty): void {
    const recorded = this.#symbols.get(symbol);
    const minuteStart = time - (time % MINUTE_MS);
    if (!recorded) {
      const minute = newCandle(minuteStart, price, volume);
      const halfHour = newCandle(time - (time % HALF_HOUR_MS), price, volume);
      this.#symbols.set(symbol, { minutes: [minute], halfHours: [halfHour], minute, halfHour });
      return;
    }
    // An event older than the bar being filled (a late print) changes nothing drawn.
    if (minuteStart < recorded.minute.start) return;
    if (minuteStart === recorded.minute.start) update(recorded.minute, price, volume);
    else recorded.minute = push(recorded.minutes, newCandle(minuteStart, price, volume), KEEP_MINUTES);
    const halfStart = time - (time % HALF_HOUR_MS);
    if (halfStart === recorded.halfHour.start) update(recorded.halfHour, price, volume);
    else recorded.halfHour = push(recorded.halfHours, newCandle(halfStart, price, volume), KEEP_HALF_HOURS);
  }

  /** The recorded bars of `symbol` at the finest grain kept for the range, oldest first. */
  bars(symbol: string, range: CandleRange): readonly Candle[] {
    const recorded = this.#symbols.get(symbol);
    return recorded ? (range === '1D' ? recorded.minutes : recorded.halfHours) : [];
  }

  forget(symbol: string): void {
    this.#symbols.delete(symbol);
  }
}

const newCandle = (start: number, price: Price, volume: Qty): Candle => ({ start, open: price, high: price, low: price, close: price, volume });

function update(candle: Candle, price: Price, volume: Qty): void {
  if (price > candle.high) candle.high = price;
  else if (price < candle.low) candle.low = price;
  candle.close = price;
  if (volume !== 0n) candle.volume += volume;
}

function push(bars: Candle[], candle: Candle, keep: number): Candle {
  bars.push(candle);
  if (bars.length > keep * 2) bars.splice(0, bars.length - keep);
  return candle;
}

/**
 * The range's candles: the provider's bars (already at the range's grain), then the recorded bars
 * after the last of them (the minutes a delayed or slow REST answer has not reached yet).
 */
export function mergeCandles(range: CandleRange, provided: readonly Candle[], recorded: readonly Candle[]): Candle[] {
  const { minutes, days } = RANGE_SPEC[range];
  const last = provided.at(-1);
  const lastBucket = last === undefined ? Number.NEGATIVE_INFINITY : bucketOf(last.start, minutes);
  const after = recorded.filter((bar) => bucketOf(bar.start, minutes) > lastBucket);
  return lastDays(aggregateCandles([...provided, ...after], minutes), days);
}
