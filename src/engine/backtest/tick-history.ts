import { EngineInputError } from '../errors.ts';
import type { PolygonRest, TickKind } from '../market/polygon-rest.ts';
import { PolygonError } from '../market/polygon-schema.ts';
import type { ReplaySession } from '../market/replay-file.ts';
import { assetClassOf } from '../market/symbols.ts';
import { addDays, newYorkDayStart } from '../market/trading-day.ts';
import type { DownloadProgress } from './bar-history.ts';
import { nanosOf, type TickCache } from './tick-cache.ts';

// A backtest's trades and quotes: Polygon's /v3/trades and /v3/quotes for each symbol and New York
// day, downloaded once into the cache (a day that has ended never changes; the day under way is
// fetched again each run), then played in time order a day at a time.

/** What to backtest on beside bars: every trade, or every quote and trade (the finest Polygon keeps). */
export type TickData = 'trades' | 'quotes';

export interface TickHistoryRequest {
  readonly symbols: readonly string[];
  /** First and last New York day, YYYY-MM-DD, both included. */
  readonly from: string;
  readonly to: string;
  readonly data: TickData;
}

export interface TickHistoryOptions {
  readonly cache: TickCache;
  /** Where to download what the cache lacks; without it, only the cache is read. */
  readonly rest?: PolygonRest | undefined;
  /** Now (Unix ms): a day that ended before it is complete, and kept. */
  readonly now: number;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Called before the first download of a symbol: throws (one line) for a ticker Polygon does not know. */
  readonly checkSymbol?: (symbol: string) => Promise<void>;
}

/**
 * The kinds Polygon keeps of a symbol for `data`. A stock has trades (Stocks Developer and up) and
 * quotes (Advanced); crypto only trades, forex only quotes (Polygon's spec has no crypto quotes or
 * forex trades), so 'quotes' on crypto plays its trades, the finest there is.
 */
export function tickKindsOf(symbol: string, data: TickData): TickKind[] {
  const assetClass = assetClassOf(symbol);
  if (assetClass === 'crypto') return ['trades'];
  if (assetClass === 'forex') {
    if (data === 'trades') throw new EngineInputError(`Polygon keeps no trades of forex, only quotes: backtest ${symbol} with --data quotes`);
    return ['quotes'];
  }
  return data === 'quotes' ? ['quotes', 'trades'] : ['trades'];
}

/** The New York days of [from, to] a symbol can have ticks on: stocks trade on weekdays, forex from Sunday evening, crypto always. */
export function tickDaysOf(symbol: string, from: string, to: string): string[] {
  const assetClass = assetClassOf(symbol);
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    if (assetClass === 'crypto' || (assetClass === 'forex' ? weekday !== 6 : weekday !== 0 && weekday !== 6)) days.push(day);
  }
  return days;
}

/** Downloads into the cache the days of [from, to] it lacks, every kind of every symbol. */
export async function downloadTickHistory(request: TickHistoryRequest, options: TickHistoryOptions): Promise<void> {
  const { cache, rest, now } = options;
  const dayEnd = (day: string): number => newYorkDayStart(addDays(day, 1));
  // A day that has ended is kept; the one under way is fetched again when there is a key; a future one has nothing yet.
  const stale = (symbol: string, kind: TickKind, day: string): boolean => !cache.has(symbol, kind, day) || (rest !== undefined && dayEnd(day) > now);
  const wanted = request.symbols.flatMap((symbol) =>
    tickKindsOf(symbol, request.data).flatMap((kind) =>
      tickDaysOf(symbol, request.from, request.to)
        .filter((day) => newYorkDayStart(day) <= now && stale(symbol, kind, day))
        .map((day) => ({ symbol, kind, day })),
    ),
  );
  if (wanted.length > 0 && !rest) {
    const { symbol, kind, day } = wanted[0]!;
    throw new EngineInputError(`${symbol}'s ${kind} of ${day} are not in the history cache, and there is no Polygon API key to download them: set POLYGON_API_KEY`);
  }
  const checked = new Set<string>();
  let done = 0;
  for (const { symbol, kind, day } of wanted) {
    if (!checked.has(symbol)) await options.checkSymbol?.(symbol);
    checked.add(symbol);
    const [fromNs, toNs] = [nanosOf(newYorkDayStart(day)), nanosOf(dayEnd(day))];
    await cache
      .write(symbol, kind, day, (append) => rest!.ticks(symbol, kind, fromNs, toNs, append))
      .catch((error: unknown) => {
        throw refusalOf(error, symbol, kind, day) ?? error;
      });
    options.onProgress?.({ done: ++done, total: wanted.length, symbol, piece: `${kind} ${day}`, unit: 'days' });
  }
}

/** What a 403 means for a download of trades or quotes, in one line with what to do instead. */
function refusalOf(error: unknown, symbol: string, kind: TickKind, day: string): EngineInputError | undefined {
  if (!(error instanceof PolygonError) || error.status !== 403) return undefined;
  if (/timeframe/i.test(error.message)) {
    return new EngineInputError(`Polygon refused ${symbol}'s ${kind} of ${day}: your plan does not reach that far back (Developer keeps 10 years); pick later dates or upgrade the plan`);
  }
  return new EngineInputError(
    kind === 'quotes'
      ? `Polygon refused ${symbol}'s quotes: your plan does not include them (quotes need Stocks Advanced; trades Stocks Developer): backtest with --data trades, or on bars without --data`
      : `Polygon refused ${symbol}'s trades: your plan does not include them (trades need Stocks Developer or above): backtest on bars, without --data`,
  );
}

/** Downloads what the cache lacks, then reads the trades and quotes of [from, to] (New York days) as a session to replay. */
export async function loadTickHistory(request: TickHistoryRequest, options: TickHistoryOptions): Promise<ReplaySession> {
  await downloadTickHistory(request, options);
  const days = [...new Set(request.symbols.flatMap((symbol) => tickDaysOf(symbol, request.from, request.to)))].sort();
  return options.cache.session({
    symbols: request.symbols,
    kindsOf: (symbol) => tickKindsOf(symbol, request.data),
    days,
    fromNs: nanosOf(newYorkDayStart(request.from)),
    toNs: nanosOf(newYorkDayStart(addDays(request.to, 1))) - 1n,
  });
}
