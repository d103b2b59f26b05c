import { join } from 'node:path';
import { EngineInputError } from '../errors.ts';
import { createEngine, DEFAULT_POLYGON_REST_URL, type EngineOptions } from '../index.ts';
import { INTERVAL_HINT, parseInterval, type BarInterval } from '../market/bar-interval.ts';
import type { PolygonRest } from '../market/polygon-rest.ts';
import { isCryptoInput, normalizeSymbol } from '../market/symbols.ts';
import type { PerformanceView } from '../performance-view.ts';
import type { EngineSnapshot } from '../snapshot.ts';
import { barSession } from './bar-columns.ts';
import { downloadBarHistory, loadBarHistory, type BarHistoryOptions, type BarHistoryRequest, type DownloadProgress } from './bar-history.ts';
import { HistoryCache } from './history-cache.ts';
import { TickCache } from './tick-cache.ts';
import { downloadTickHistory, loadTickHistory, type TickData, type TickHistoryOptions, type TickHistoryRequest } from './tick-history.ts';

// A backtest is a replay: Polygon's history (or a recorded session) through the same engine,
// executor and books as a live paper run, as fast as the engine goes, ending in the same report.

export interface BacktestOptions extends Omit<EngineOptions, 'market' | 'symbols' | 'account' | 'clock'> {
  /** The symbols to trade on their history; with `replayFile`, default: the file's. */
  symbols?: readonly string[];
  /** First and last New York day, YYYY-MM-DD (history only). */
  from?: string;
  to?: string;
  /** Bar length: "1m" (default), "5m", "1h", "1D"… */
  interval?: string;
  /**
   * What of Polygon's history to play: its bars (default), every trade ('trades': Stocks Developer
   * and up), or every quote and trade ('quotes': Stocks Advanced; forex quotes; crypto has trades only).
   */
  data?: 'bars' | TickData;
  /** Holds the history cache (`history/`). */
  dataDir?: string;
  /** Where the cache's missing months come from: a client of your own, or the key (and host) to make one with. */
  rest?: PolygonRest;
  polygon?: { apiKey: string; restUrl?: string; requestsPerMinute?: number };
  /** Play this recorded session instead of history: the fills equal a live paper run of it. */
  replayFile?: string;
  onProgress?: (progress: BacktestProgress) => void;
  /** A yearly fraction taken off the daily returns for Sharpe and Sortino (default 0). */
  riskFreeRate?: number;
  /** The result's snapshot holds every order and fill (default), or none (false: read back from the run's store, they cost time). */
  keepHistory?: boolean;
  /** Throws (one line) for a symbol Polygon does not know, before its history downloads. */
  checkSymbol?: (symbol: string) => Promise<void>;
}

export type BacktestProgress = ({ phase: 'download' } & DownloadProgress) | { phase: 'run'; done: number; total: number };

export interface BacktestResult {
  performance: PerformanceView;
  /** The books at the end: positions, cash, every order and fill. */
  snapshot: EngineSnapshot;
  /** Market events played (bars, for history). */
  events: number;
  /** Reading the history (or the file) and building the engine; the engine's run alone. */
  loadSeconds: number;
  runSeconds: number;
}

/** Events played between two progress reports. */
const PROGRESS_EVERY = 50_000;
/**
 * Events stepped at a time (the replay reads this many ahead): few enough to die young in the
 * garbage collector. Stepping 50,000 at a time kept them alive past a scavenge, which copies them.
 */
const STEP = 4096;

type HistoryOptions = Pick<BacktestOptions, 'symbols' | 'from' | 'to' | 'interval' | 'data' | 'dataDir' | 'onProgress' | 'checkSymbol'> & { rest?: PolygonRest | undefined };

/** What the downloads of both kinds of history are told: the client, progress, the symbol check. */
function sharedHistoryOptions(options: HistoryOptions): Pick<BarHistoryOptions, 'rest' | 'onProgress' | 'checkSymbol'> {
  const { onProgress, checkSymbol } = options;
  return {
    rest: options.rest,
    ...(onProgress ? { onProgress: (progress: DownloadProgress) => onProgress({ phase: 'download', ...progress }) } : {}),
    ...(checkSymbol ? { checkSymbol } : {}),
  };
}

function historyDir(options: HistoryOptions): string {
  if (!options.dataDir) throw new EngineInputError('a backtest on history needs a data directory for its cache: backtest({ dataDir: "/path/to/data", … })');
  return join(options.dataDir, 'history');
}

/** Runs `work` on the bar cache of the options' data directory, with what loadBarHistory needs. */
async function onBarHistory<T>(options: HistoryOptions, work: (request: BarHistoryRequest, history: BarHistoryOptions) => Promise<T>): Promise<T> {
  const request = historyRequest(options.symbols, options.from, options.to, options.interval);
  const cache = new HistoryCache(historyDir(options));
  try {
    return await work(request, { cache, today: new Date().toISOString().slice(0, 10), ...sharedHistoryOptions(options) });
  } finally {
    cache.close();
  }
}

/** What downloadTickHistory and loadTickHistory need, on `cache`. */
function tickHistory(options: HistoryOptions, data: TickData, cache: TickCache): [TickHistoryRequest, TickHistoryOptions] {
  const { symbols, from, to } = historyRequest(options.symbols, options.from, options.to, options.interval);
  return [{ symbols, from, to, data }, { cache, now: Date.now(), ...sharedHistoryOptions(options) }];
}

const isTickData = (data: BacktestOptions['data']): data is TickData => data === 'trades' || data === 'quotes';

/** Downloads the history a backtest of these options needs into the cache, without running it (a sweep, before its runs). */
export async function downloadHistory(options: HistoryOptions): Promise<void> {
  const { data } = options;
  if (!isTickData(data)) return onBarHistory(options, downloadBarHistory);
  const cache = new TickCache(historyDir(options));
  try {
    await downloadTickHistory(...tickHistory(options, data, cache));
  } finally {
    cache.close();
  }
}

export async function backtest(options: BacktestOptions): Promise<BacktestResult> {
  const { data, replayFile } = options;
  // Trades and quotes are read from their cache a day at a time as the run plays them: it stays open till the end.
  const ticks = replayFile === undefined && isTickData(data) ? new TickCache(historyDir(options)) : undefined;
  try {
    return await run(options, ticks);
  } finally {
    ticks?.close();
  }
}

async function run(options: BacktestOptions, ticks: TickCache | undefined): Promise<BacktestResult> {
  const { symbols, from, to, interval, data, replayFile, onProgress, riskFreeRate, polygon } = options;
  const loadStarted = performance.now();
  let market: EngineOptions['market'];
  if (replayFile !== undefined) {
    market = { kind: 'replay', file: replayFile };
  } else {
    const rest = options.rest ?? (polygon ? await restClient(polygon) : undefined);
    if (ticks && isTickData(data)) {
      const session = await loadTickHistory(...tickHistory({ ...options, rest }, data, ticks));
      if (session.count === 0) throw new EngineInputError(`no ${data === 'quotes' ? 'quotes or trades' : 'trades'} for ${symbols?.join(' ')} from ${from} to ${to}: pick days the market was open`);
      market = { kind: 'replay', session, hours: 'regular' };
    } else {
      const columns = await onBarHistory({ ...options, rest }, loadBarHistory);
      if (columns.length === 0) throw new EngineInputError(`no ${interval ?? '1m'} bars for ${symbols?.join(' ')} from ${from} to ${to}: pick days the market was open`);
      market = { kind: 'replay', session: barSession(columns), hours: 'regular' };
    }
  }
  // No screen draws a backtest's charts: its events keep no minute bars.
  const engine = await createEngine({ ...engineOptionsOf(options), ...(symbols ? { symbols } : {}), ...priceSourceOf(options), market, charts: false });
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  await engine.start();
  try {
    const runStarted = performance.now();
    const total = engine.replay.total ?? 0;
    let reported = 0;
    while (!engine.replay.done) {
      if ((await engine.replay.step(STEP)) === 0) break;
      const done = engine.replay.position;
      if (done - reported >= PROGRESS_EVERY || engine.replay.done) onProgress?.({ phase: 'run', done: (reported = done), total });
    }
    const runSeconds = (performance.now() - runStarted) / 1000;
    const snapshot = engine.snapshot(options.keepHistory === false ? { recent: 0, equityPoints: 1 } : {});
    return { performance: engine.performance(riskFreeRate === undefined ? {} : { riskFreeRate }), snapshot, events: engine.replay.position, loadSeconds, runSeconds };
  } finally {
    await engine.stop();
  }
}

/**
 * A strategy that leaves its price source out reads the data played (its default is quotes, which
 * bars have none of). Crypto has no quotes at Polygon: played alone, its trades.
 */
function priceSourceOf({ replayFile, data = 'bars', symbols = [] }: BacktestOptions): Pick<EngineOptions, 'priceSource'> {
  if (replayFile !== undefined) return {};
  return { priceSource: data === 'quotes' && symbols.length > 0 && symbols.every(isCryptoInput) ? 'trades' : data };
}

/** The options that are the backtest's own, not the engine's. */
const BACKTEST_ONLY = ['symbols', 'from', 'to', 'interval', 'data', 'dataDir', 'rest', 'polygon', 'replayFile', 'onProgress', 'riskFreeRate', 'checkSymbol', 'keepHistory'] as const;

function engineOptionsOf(options: BacktestOptions): Omit<BacktestOptions, (typeof BACKTEST_ONLY)[number]> {
  const engine: Record<string, unknown> = { ...options };
  for (const key of BACKTEST_ONLY) delete engine[key];
  return engine;
}

/** A REST client for the key (the default host: Polygon's). */
async function restClient(polygon: NonNullable<BacktestOptions['polygon']>): Promise<PolygonRest> {
  const { PolygonRest } = await import('../market/polygon-rest.ts');
  return new PolygonRest({ apiKey: polygon.apiKey, baseUrl: polygon.restUrl ?? DEFAULT_POLYGON_REST_URL, ...(polygon.requestsPerMinute ? { requestsPerMinute: polygon.requestsPerMinute } : {}) });
}

interface HistoryRequest {
  symbols: string[];
  from: string;
  to: string;
  interval: BarInterval;
}

function historyRequest(symbols: readonly string[] | undefined, from: string | undefined, to: string | undefined, interval = '1m'): HistoryRequest {
  if (!symbols || symbols.length === 0) throw new EngineInputError('a backtest needs symbols to trade, e.g. --symbols AAPL MSFT');
  const normalized = symbols.map((input) => {
    const result = normalizeSymbol(input);
    if (!result.ok) throw new EngineInputError(result.error);
    return result.symbol;
  });
  const parsed = parseInterval(interval);
  if (!parsed) throw new EngineInputError(`interval "${interval}" is not an interval: ${INTERVAL_HINT}`);
  const first = dayOf('from', from);
  const last = dayOf('to', to);
  if (first > last) throw new EngineInputError(`from ${first} is after to ${last}: e.g. --from 2025-01-02 --to 2025-06-30`);
  return { symbols: [...new Set(normalized)], from: first, to: last, interval: parsed };
}

function dayOf(name: 'from' | 'to', text: string | undefined): string {
  const date = text === undefined ? undefined : new Date(`${text}T00:00:00Z`);
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(date!.getTime()) || date!.toISOString().slice(0, 10) !== text) {
    throw new EngineInputError(`a backtest needs --${name} as a date, YYYY-MM-DD (e.g. ${name === 'from' ? '2025-01-02' : '2025-06-30'})${text === undefined ? '' : `, got "${text}"`}`);
  }
  return text;
}
