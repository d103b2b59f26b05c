import { EngineInputError } from '../errors.ts';
import { barEnd, type PolygonRest } from '../market/polygon-rest.ts';
import { PolygonError } from '../market/polygon-schema.ts';
import { addDays, newYorkDayStart } from '../market/trading-day.ts';
import type { BarColumns } from './bar-columns.ts';
import { intervalName, type BarInterval } from '../market/bar-interval.ts';
import type { HistoryCache } from './history-cache.ts';

// A backtest's history: Polygon's aggregates for each symbol and month, downloaded once into the
// cache (a month that has ended never changes; the month under way is fetched again each run),
// then read back as columns in the order the replay plays them.

export interface BarHistoryRequest {
  readonly symbols: readonly string[];
  /** First and last New York day, YYYY-MM-DD, both included. */
  readonly from: string;
  readonly to: string;
  readonly interval: BarInterval;
}

export interface DownloadProgress {
  /** Pieces downloaded so far, of `total` to download (the cached ones are not counted). */
  readonly done: number;
  readonly total: number;
  readonly symbol: string;
  /** The piece just downloaded: a month of bars ("2025-03"), or a day of trades or quotes ("quotes 2025-06-02"). */
  readonly piece: string;
  readonly unit: 'months' | 'days';
}

export interface BarHistoryOptions {
  readonly cache: HistoryCache;
  /** Where to download what the cache lacks; without it, only the cache is read. */
  readonly rest?: PolygonRest | undefined;
  /** Today's date (UTC, YYYY-MM-DD): months before it are complete, and kept. */
  readonly today: string;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Called before the first download of a symbol with nothing cached: throws (one line) for a ticker Polygon does not know. */
  readonly checkSymbol?: (symbol: string) => Promise<void>;
}

/** Polygon's limit on the base aggregates one request covers (a month of minute bars is under 45,000). */
const AGGREGATES_A_REQUEST = 50_000;

/** "2025-01" … "2025-06": the months that [from, to] touches. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from.slice(0, 7); month <= to.slice(0, 7); month = nextMonth(month)) months.push(month);
  return months;
}

const nextMonth = (month: string): string => {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, '0')}`;
};

/** The last day of a month: the day before the next month's first. */
const lastDayOf = (month: string): string => addDays(`${nextMonth(month)}-01`, -1);

/** Downloads what the cache lacks, then reads the bars of [from, to] (New York days) as columns. */
export async function loadBarHistory(request: BarHistoryRequest, options: BarHistoryOptions): Promise<BarColumns> {
  await downloadBarHistory(request, options);
  const fromMs = newYorkDayStart(request.from);
  const toMs = newYorkDayStart(addDays(request.to, 1)) - 1;
  const { interval } = request;
  return options.cache.read(request.symbols, interval, monthsOf(request.from, request.to), fromMs, toMs, (start) => barEnd(start, interval.multiplier, interval.timespan));
}

/** Downloads into the cache the months of [from, to] it lacks (a sweep does it once, before its runs read the cache). */
export async function downloadBarHistory(request: BarHistoryRequest, options: BarHistoryOptions): Promise<void> {
  const { cache, rest, today } = options;
  const { symbols, interval } = request;
  const months = monthsOf(request.from, request.to);
  // A month that has ended is kept; the one under way is fetched again when there is a key (without
  // one, as the cache holds it: a backtest's thread reads what its command just downloaded); a future one has nothing yet.
  const stale = (symbol: string, month: string): boolean => !cache.has(symbol, interval, month) || (rest !== undefined && lastDayOf(month) >= today);
  const wanted = symbols.flatMap((symbol) => months.filter((month) => `${month}-01` <= today && stale(symbol, month)).map((month) => ({ symbol, month })));
  if (wanted.length > 0 && !rest) {
    const { symbol, month } = wanted[0]!;
    throw new EngineInputError(`${symbol}'s ${intervalName(interval)} bars of ${month} are not in the history cache, and there is no Polygon API key to download them: set POLYGON_API_KEY`);
  }
  const checked = new Set<string>();
  let done = 0;
  for (const { symbol, month } of wanted) {
    if (!checked.has(symbol) && !months.some((m) => cache.has(symbol, interval, m))) await options.checkSymbol?.(symbol);
    checked.add(symbol);
    const last = lastDayOf(month);
    const bars = await rest!.bars(symbol, { ...interval, from: `${month}-01`, to: last < today ? last : today, limit: AGGREGATES_A_REQUEST }).catch((error: unknown) => {
      // A plan keeps so many years of history (Basic 2, Starter 5, Developer 10, Advanced 20+), and Basic none of today.
      if (error instanceof PolygonError && error.status === 403 && /timeframe/i.test(error.message)) {
        throw new EngineInputError(`Polygon refused ${symbol}'s bars of ${month}: your plan does not reach that far back (Basic keeps 2 years, Starter 5, Developer 10) or, on Basic, today; pick later dates or upgrade the plan`);
      }
      throw error;
    });
    await cache.write(symbol, interval, month, bars);
    options.onProgress?.({ done: ++done, total: wanted.length, symbol, piece: month, unit: 'months' });
  }
}
