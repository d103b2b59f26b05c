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

/**
 * The minute bars of each symbol this run has seen prices for, built from its marks: the last day
 * of minutes, and the last month of half hours (so memory stays flat however long it runs).
 */
export class CandleRecorder {
  readonly #minutes = new Map<string, Candle[]>();
  readonly #halfHours = new Map<string, Candle[]>();

  record(symbol: string, time: number, price: Price, volume: Qty): void {
    add(this.#minutes, symbol, time, price, volume, 1, KEEP_MINUTES);
    add(this.#halfHours, symbol, time, price, volume, 30, KEEP_HALF_HOURS);
  }

  /** The recorded bars of `symbol` at the finest grain kept for the range, oldest first. */
  bars(symbol: string, range: CandleRange): readonly Candle[] {
    return (range === '1D' ? this.#minutes : this.#halfHours).get(symbol) ?? [];
  }

  forget(symbol: string): void {
    this.#minutes.delete(symbol);
    this.#halfHours.delete(symbol);
  }
}

function add(store: Map<string, Candle[]>, symbol: string, time: number, price: Price, volume: Qty, minutes: number, keep: number): void {
  const start = Math.floor(time / (minutes * MINUTE_MS)) * minutes * MINUTE_MS;
  let bars = store.get(symbol);
  if (!bars) store.set(symbol, (bars = []));
  const last = bars.at(-1);
  if (last && last.start === start) {
    if (price > last.high) last.high = price;
    if (price < last.low) last.low = price;
    last.close = price;
    last.volume += volume;
    return;
  }
  // An event older than the newest bar (a late print) changes nothing drawn.
  if (last && start < last.start) return;
  bars.push({ start, open: price, high: price, low: price, close: price, volume });
  if (bars.length > keep * 2) bars.splice(0, bars.length - keep);
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
