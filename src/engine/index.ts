// The programmatic API: createEngine(options) and the public types. The CLI, the UI and the
// HTTP API all drive the engine through exactly these names.
import type { PriceSource } from './strategy/price-source.ts';
import { builtInStrategies } from '../../strategies/index.ts';
import type { Clock } from './clock/clock.ts';
import { LiveClock } from './clock/live-clock.ts';
import { ManualClock } from './clock/manual-clock.ts';
import { Engine } from './engine.ts';
import { EngineInputError, messageOf } from './errors.ts';
import { createBrokerageModels } from './execution/brokerage-model.ts';
import { createFeeModel, type FeeConfig, type FeeModel } from './execution/fee-model.ts';
import type { FillModel } from './execution/fill-model.ts';
import { createSlippageModel, type SlippageModel } from './execution/slippage-model.ts';
import { CENT_DECIMALS, parseDecimal } from './money.ts';
import { loadReplayFile, ReplayFileError, type ReplaySession } from './market/replay-file.ts';
import type { BacktestOptions, BacktestResult } from './backtest/backtest.ts';
import { ReplayMarket } from './market/replay-market.ts';
import { REGULAR_HOURS } from './market/market-hours.ts';
import { DEFAULT_SIMULATION_SEED, SimulatedMarket } from './market/simulated-market.ts';
import { normalizeSymbol } from './market/symbols.ts';
import type { MarketDataProvider } from './market/types.ts';
import { Ledger } from './portfolio/ledger.ts';
import { StrategyRegistry } from './strategy/registry.ts';
import type { StrategyDefinition } from './strategy/strategy.ts';
import { JournalError, type RecoveredAccount } from './persistence/journal.ts';
import { openAccount, symbolsInUse } from './persistence/open-account.ts';
import { accountExists } from './persistence/account-backup.ts';
import { readBorrowRateSetting, type BorrowRate } from './portfolio/borrow-fees.ts';
import { accountNameProblem } from './persistence/sqlite-journal.ts';
import { RiskGuard } from './risk/risk-guard.ts';
import { listedActions, type AnnouncedActions, type CorporateActionSource } from './portfolio/corporate-actions.ts';
import { applyLimitChanges, type RiskLimitChanges, type SavedLimits } from './risk/risk-limits.ts';

export type MarketOptions =
  | {
      kind: 'simulated';
      seed?: number;
      /** live (default): events arrive in real time. manual: as fast as engine.replay steps them. */
      clock?: 'live' | 'manual';
      /** Unix ms or ISO time the session starts at (manual clock; default 2026-11-02 09:30 New York). */
      startTime?: number | string;
      /** Manual clock: how long the session lasts (default 6.5 hours, one trading day). */
      durationMs?: number;
      /** Mean gap between two events of one symbol (default 1000 ms). */
      quoteIntervalMs?: number;
      /** Simulate any ticker, with a made-up price (benchmarks, tests); default only the well-known ones (simulated-tickers.ts). */
      anyTicker?: boolean;
    }
  /** A recorded session: a file, or one already loaded (a backtest's history: loadBarHistory). */
  | { kind: 'replay'; file: string }
  /** hours 'regular': orders fill only in each market's regular session, as live (a backtest on history, whose minute bars run from 4:00 to 20:00). */
  | { kind: 'replay'; session: ReplaySession; hours?: 'regular' }
  /**
   * Live data from Polygon.io (REST defaults to https://api.polygon.io, WebSocket to wss://socket.polygon.io).
   * Stocks fall back to the delayed host (default: the WebSocket host with socket. → delayed.) when the plan lacks real-time data.
   */
  | {
      kind: 'polygon';
      apiKey: string;
      restUrl?: string;
      wsUrl?: string;
      delayedWsUrl?: string;
      statusPollMs?: number;
      /** Plans without a WebSocket: the time between two REST price requests (default 15 s). */
      pollSpacingMs?: number;
      /** How long start waits for REST before going on without it (default 3 s). */
      startWaitMs?: number;
      /** How long live minute bars may wait for a back-fill after a reconnect (default 5 s). */
      backfillHoldMs?: number;
      /** A REST attempt without an answer after this long fails (default 10 s). */
      restTimeoutMs?: number;
      /** The plan's REST rate, kept on this side (default: unlimited; 5 on a plan without a WebSocket, or what a 429 shows). */
      requestsPerMinute?: number;
      /** Events of one WebSocket frame handled per turn of the event loop (default 2,000), so a huge frame cannot hold up keys and the HTTP API. */
      eventsPerTurn?: number;
    };

export interface EngineOptions {
  /** Watchlist; with a replay file it defaults to the file's symbols. */
  symbols?: readonly string[];
  /** Decimal string or number of dollars (default "100000"). */
  startingCash?: string | number;
  market?: MarketOptions;
  /** Fees: a config ({ kind: 'per_share', … }) or your own FeeModel. Default zero. */
  fees?: FeeConfig | FeeModel;
  /** Slippage on market-style fills in basis points (default 0), or your own SlippageModel. */
  slippageBps?: number;
  slippageModel?: SlippageModel;
  /** Replaces the default fill rules for every asset class. */
  fillModel?: FillModel;
  strategy?: string;
  strategyParams?: Record<string, unknown>;
  /** The prices the strategy's indicators read when its params leave `source` out (a backtest: the data it plays); default the strategy's own. */
  priceSource?: PriceSource;
  /** Extra strategies, selectable by name beside the built-in ones. */
  strategies?: readonly StrategyDefinition<any>[];
  /** A quote older than this is stale: market orders wait for a fresh one (default 10 000 ms). */
  maxQuoteAgeMs?: number;
  /** Interval of the equity series for charts (default 1000 ms of market time). */
  equityIntervalMs?: number;
  /**
   * A run without an account: the orders and fills it keeps in memory before writing the older ones
   * to its scratch store (default 10,000, about 35 MB; at least 4,000: it keeps the last 1,000 of
   * each). More makes a backtest of many trades faster (it writes none of them below it) and bigger
   * (about 3.5 KB each).
   */
  historyInMemory?: number;
  /** Keep the minute bars a symbol's chart draws (Engine.candles) from the prices seen (default true; a backtest has no screen to draw them). */
  charts?: boolean;
  /** Replaces the live clock (tests). */
  clock?: Clock;
  /**
   * Keep the books in a durable account of this name (in `dataDir`): every order, fill and
   * strategy switch is saved before it is acknowledged, and the next run continues it.
   * Without it the books live in memory only.
   */
  account?: string;
  /** Where accounts are kept (required with `account`). */
  dataDir?: string;
  /**
   * Make the account a margin account: it buys stocks with buying power of 2x its equity overnight
   * and 4x intraday (from $25,000), and the trader may sell stocks short. The kind is chosen when
   * the account is made: an existing cash account is not turned into one.
   */
  margin?: boolean;
  /** A margin account's pattern-day-trader rule on or off, saved with the account (it starts on). */
  patternDayTrader?: boolean;
  /** What a margin account's shorts pay to borrow, percent a year ("3"), or "off" / null; saved with the account (it starts off). */
  borrowRate?: string | number | null;
  /** Caps the account store's size in pages: tests use it to reproduce a full disk. */
  accountMaxPages?: number;
  /**
   * Risk limits to set on the account (saved with it, so they hold on the next run too): a number
   * or decimal string of dollars (maxOpenOrders: of orders), or null / "off" to turn one off.
   */
  riskLimits?: RiskLimitChanges;
  /** Limits for an account that has not set its own (the CLI passes the config's). */
  riskDefaults?: RiskLimitChanges;
  /**
   * Splits and dividends of held stocks: a source, or a list (a backtest's). Default: Polygon's
   * reference data on the Polygon market, none on the others.
   */
  corporateActions?: CorporateActionSource | Partial<AnnouncedActions>;
}

export const DEFAULT_SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'SPY', 'X:BTCUSD', 'C:EURUSD'] as const;
export const DEFAULT_MAX_QUOTE_AGE_MS = 10_000;
export const DEFAULT_POLYGON_REST_URL = 'https://api.polygon.io';
export const DEFAULT_POLYGON_WS_URL = 'wss://socket.polygon.io';

/** wss://socket.polygon.io → wss://delayed.polygon.io (also socket.massive.com); none for another host. */
export function delayedHostOf(wsUrl: string): string | undefined {
  const delayed = wsUrl.replace(/^(wss?:\/\/)socket\./, '$1delayed.');
  return delayed === wsUrl ? undefined : delayed;
}

/** `{ [key]: value }`, or nothing when value is undefined (exactOptionalPropertyTypes-friendly spreading). */
const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
const DEFAULT_SIMULATION_START = Date.parse('2026-11-02T14:30:00Z');
const TRADING_DAY_MS = 6.5 * 3_600_000;

/** Risk limit changes checked before anything opens: one EngineInputError line naming a bad one. */
function readRiskOption(changes: RiskLimitChanges | undefined): SavedLimits {
  if (changes === undefined) return {};
  const read = applyLimitChanges({}, changes);
  if ('error' in read) throw new EngineInputError(read.error);
  return read.saved;
}

/** Builds an engine; throws EngineInputError (one clear line) for bad options or a bad replay file. */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  checkOptionShapes(options);
  const market = options.market ?? { kind: 'simulated' };
  const startingCash = parseStartingCash(options.startingCash ?? '100000');
  const registry = new StrategyRegistry();
  for (const definition of [...builtInStrategies, ...(options.strategies ?? [])]) registry.register(definition);
  const initialStrategy = options.strategy ? registry.resolve(options.strategy, options.strategyParams, options.priceSource ? { source: options.priceSource } : {}) : undefined;
  const riskDefaults = readRiskOption(options.riskDefaults);
  const riskLimits = readRiskOption(options.riskLimits);
  const borrowRate = readBorrowRateOption(options.borrowRate);

  let symbols = options.symbols === undefined ? undefined : normalizeSymbols(options.symbols);
  let clock: Clock;
  let manualClock: ManualClock | undefined;
  let provider: MarketDataProvider;
  let actionSource: CorporateActionSource | undefined;

  if (market.kind === 'replay') {
    const session = 'session' in market ? market.session : await loadReplay(market.file);
    symbols ??= session.symbols;
    manualClock = new ManualClock(session.firstTime);
    clock = manualClock;
    provider = new ReplayMarket(session, { symbols, ...('hours' in market && market.hours === 'regular' ? { hours: REGULAR_HOURS } : {}) });
  } else if (market.kind === 'simulated') {
    symbols ??= [...DEFAULT_SYMBOLS];
    const manual = market.clock === 'manual';
    if (manual) manualClock = new ManualClock(parseTime(market.startTime, DEFAULT_SIMULATION_START));
    clock = manualClock ?? options.clock ?? new LiveClock();
    const startTime = clock.now();
    const simulated = new SimulatedMarket({
      symbols,
      seed: market.seed ?? DEFAULT_SIMULATION_SEED,
      clock,
      mode: manual ? 'manual' : 'live',
      startTime,
      quoteIntervalMs: positive(market.quoteIntervalMs, 'quoteIntervalMs'),
      anyTicker: market.anyTicker === true,
      endTime: manual ? startTime + (positive(market.durationMs, 'durationMs') ?? TRADING_DAY_MS) : undefined,
    });
    // A ticker it does not know would trade at an invented price: refused in one line, with the closest it knows.
    const unknown = simulated.unknownSymbols(symbols);
    if (unknown) throw new EngineInputError(unknown);
    provider = simulated;
  } else if (market.kind === 'polygon') {
    if (typeof market.apiKey !== 'string' || market.apiKey.trim() === '') {
      throw new EngineInputError('no Polygon API key: set POLYGON_API_KEY (or use --market simulated)');
    }
    symbols ??= [...DEFAULT_SYMBOLS];
    clock = options.clock ?? new LiveClock();
    // Loaded on demand: @polygon.io/client-js is ESM-only, and user strategy files that import this
    // module may be loaded as CommonJS.
    const { PolygonMarket } = await import('./market/polygon-market.ts');
    const polygon = new PolygonMarket({
      apiKey: market.apiKey.trim(),
      restUrl: market.restUrl ?? DEFAULT_POLYGON_REST_URL,
      wsUrl: market.wsUrl ?? DEFAULT_POLYGON_WS_URL,
      ...optional('delayedWsUrl', market.delayedWsUrl ?? delayedHostOf(market.wsUrl ?? DEFAULT_POLYGON_WS_URL)),
      ...optional('statusPollMs', positive(market.statusPollMs, 'statusPollMs')),
      ...optional('pollSpacingMs', positive(market.pollSpacingMs, 'pollSpacingMs')),
      ...optional('startWaitMs', positive(market.startWaitMs, 'startWaitMs')),
      ...optional('backfillHoldMs', positive(market.backfillHoldMs, 'backfillHoldMs')),
      ...optional('restTimeoutMs', positive(market.restTimeoutMs, 'restTimeoutMs')),
      ...optional('requestsPerMinute', positive(market.requestsPerMinute, 'requestsPerMinute')),
      ...optional('eventsPerTurn', positive(market.eventsPerTurn, 'eventsPerTurn')),
      symbols,
      clock,
    });
    // Nonsense in --symbols is refused before anything starts, in one line with the closest ticker.
    const unknown = await polygon.unknownSymbols(symbols);
    if (unknown) throw new EngineInputError(unknown);
    provider = polygon;
    actionSource = polygon;
  } else {
    throw new EngineInputError(`unknown market kind "${(market as { kind: string }).kind}" (use simulated, replay or polygon)`);
  }
  if (symbols.length === 0) throw new EngineInputError('no symbols to watch: give at least one, e.g. AAPL');

  const fees = options.fees;
  const brokerage = createBrokerageModels({
    fee: fees && typeof (fees as FeeModel).cumulativeFee === 'function' ? (fees as FeeModel) : guard(() => createFeeModel(fees as FeeConfig)),
    slippage: options.slippageModel ?? guard(() => createSlippageModel(options.slippageBps ?? 0)),
    fill: options.fillModel,
  });
  const opened = options.account === undefined ? undefined : await openAccountOrExplain(options, startingCash, clock.now());
  // Loaded on demand like the account's journal: the scratch store is SQLite too.
  const scratch = opened ? undefined : (await import('./persistence/scratch-store.ts')).openScratchStore(startingCash, clock.now());
  const recovered = opened?.recovered;
  // The account's watchlist as the trader left it: in place of the defaults, beside symbols asked for by name.
  const saved = recovered?.watchlist;
  if (saved && options.symbols === undefined && market.kind !== 'replay') {
    const dropped = symbols.filter((symbol) => !saved.includes(symbol));
    if (dropped.length > 0) provider.unsubscribe(dropped);
    symbols = symbols.filter((symbol) => saved.includes(symbol));
  }
  const held = [...(saved ?? []), ...symbolsInUse(recovered)].filter((symbol, index, all) => !symbols!.includes(symbol) && all.indexOf(symbol) === index);
  if (held.length > 0) {
    symbols = [...symbols, ...held];
    provider.subscribe(held);
  }
  const given = options.corporateActions;
  if (given) actionSource = 'actions' in given && typeof given.actions === 'function' ? given : listedActions(given as Partial<AnnouncedActions>);
  const risk = new RiskGuard(recovered?.risk, riskDefaults);
  if (options.riskLimits !== undefined) risk.setLimits(riskLimits);
  if (options.patternDayTrader !== undefined) risk.setPatternDayTrader(options.patternDayTrader);
  if (options.borrowRate !== undefined) risk.setBorrowRate(borrowRate);
  const engine = new Engine({
    symbols,
    risk,
    riskChanged: options.riskLimits !== undefined || options.patternDayTrader !== undefined || options.borrowRate !== undefined,
    corporateActions: actionSource,
    ...(market.kind === 'polygon' && market.apiKey.trim() ? { secrets: [market.apiKey.trim()] } : {}),
    ledger: opened?.ledger ?? new Ledger(startingCash, { shorts: options.margin === true }),
    journal: opened?.journal,
    scratch,
    recovered,
    clock,
    manualClock,
    provider,
    brokerage,
    registry,
    maxQuoteAgeMs: positive(options.maxQuoteAgeMs, 'maxQuoteAgeMs') ?? DEFAULT_MAX_QUOTE_AGE_MS,
    equityIntervalMs: positive(options.equityIntervalMs, 'equityIntervalMs') ?? 1000,
    ...optional('historyInMemory', positive(options.historyInMemory, 'historyInMemory')),
    charts: options.charts ?? true,
  });
  if (initialStrategy) engine.setStrategy(initialStrategy.definition.name, initialStrategy.params);
  else if (recovered?.strategy) {
    try {
      resumeStrategy(engine, recovered);
    } catch (error) {
      opened?.journal.close();
      throw error;
    }
  }
  return engine;
}

async function openAccountOrExplain(options: EngineOptions, startingCash: bigint, now: number) {
  if (typeof options.account !== 'string' || typeof options.dataDir !== 'string' || options.dataDir === '') {
    throw new EngineInputError('an account needs a data directory: createEngine({ account: "default", dataDir: "/path/to/data" })');
  }
  try {
    const opened = await openAccount(
      { dataDir: options.dataDir, account: options.account, kind: options.margin ? 'margin' : 'cash', ...(options.accountMaxPages ? { maxPages: options.accountMaxPages } : {}) },
      startingCash,
      now,
    );
    if (options.margin && opened.recovered && opened.recovered.kind !== 'margin') {
      opened.journal.close();
      throw new EngineInputError(`account "${options.account}" is a cash account, and an account's kind is chosen when it is made: make a margin account with paper-trader accounts create NAME --margin`);
    }
    return opened;
  } catch (error) {
    if (error instanceof JournalError) throw new EngineInputError(error.message);
    throw error;
  }
}

/**
 * Makes a new account before its first run (paper-trader accounts create): its kind, cash or
 * margin, is chosen here once. An account that already exists is refused, saying what it is.
 */
export async function createAccount(options: { dataDir: string; account: string; startingCash?: string | number; margin?: boolean }): Promise<{ startingCash: bigint }> {
  const startingCash = parseStartingCash(options.startingCash ?? '100000');
  const problem = accountNameProblem(options.account);
  if (problem) throw new EngineInputError(problem);
  if (accountExists(options.dataDir, options.account)) {
    throw new EngineInputError(`account "${options.account}" already exists: an account's kind and cash are chosen when it is made (paper-trader accounts clone, or reset, to start another)`);
  }
  const opened = await openAccountOrExplain({ ...options, margin: options.margin === true }, startingCash, Date.now());
  opened.journal.close();
  return { startingCash };
}

/** The strategy the account ran last time, with its saved state; one that no longer resolves is said and skipped. */
function resumeStrategy(engine: Engine, recovered: RecoveredAccount): void {
  const saved = recovered.strategy!;
  try {
    engine.setStrategy(saved.name, saved.params, { savedState: recovered.strategyState });
  } catch (error) {
    const why = messageOf(error);
    throw new EngineInputError(`the account's strategy "${saved.name}" cannot resume (${why}): start with --strategy NAME (or its file) to choose one`);
  }
}

/** A program calling createEngine gets the same one-line errors a person at the CLI does. */
function checkOptionShapes(options: EngineOptions): void {
  const fail = (message: string): never => {
    throw new EngineInputError(message);
  };
  if (options === null || typeof options !== 'object') fail('createEngine takes an options object, e.g. { symbols: ["AAPL"] }');
  const { symbols, market, fees, strategy } = options;
  if (symbols !== undefined && (!Array.isArray(symbols) || symbols.some((symbol) => typeof symbol !== 'string'))) {
    fail('symbols must be a list of tickers, e.g. ["AAPL", "X:BTCUSD"]');
  }
  if (market !== undefined && (market === null || typeof market !== 'object')) fail('market must be { kind: "simulated" } or { kind: "replay", file }');
  if (market?.kind === 'replay' && !('session' in market) && typeof market.file !== 'string') fail('a replay market needs a file: { kind: "replay", file: "session.jsonl" }');
  if (market?.kind === 'simulated' && market.seed !== undefined && !Number.isSafeInteger(market.seed)) fail(`seed must be a whole number, got ${String(market.seed)}`);
  if (fees !== undefined && (fees === null || typeof fees !== 'object')) {
    fail('fees must be { kind: "zero" }, { kind: "per_share", perShare, minimum } or { kind: "percent", percent }');
  }
  if (strategy !== undefined && typeof strategy !== 'string') fail('strategy must be a name, e.g. "sma-crossover"');
}

/** The borrowRate option checked before anything opens: undefined is off. */
function readBorrowRateOption(rate: EngineOptions['borrowRate']): BorrowRate | undefined {
  if (rate === undefined) return undefined;
  const read = readBorrowRateSetting(rate);
  if ('error' in read) throw new EngineInputError(read.error);
  return read.rate;
}

function parseStartingCash(input: string | number): bigint {
  const parsed = parseDecimal(input, CENT_DECIMALS);
  if (!parsed.ok) throw new EngineInputError(`starting cash "${input}" ${parsed.error}: give dollars, e.g. 100000 or 2500.50`);
  if (parsed.value <= 0n) throw new EngineInputError(`starting cash must be > 0, got "${input}"`);
  return parsed.value;
}

function normalizeSymbols(inputs: readonly string[]): string[] {
  const symbols = new Set<string>();
  for (const input of inputs) {
    const result = normalizeSymbol(String(input));
    if (!result.ok) throw new EngineInputError(result.error);
    symbols.add(result.symbol);
  }
  return [...symbols];
}

async function loadReplay(file: string) {
  try {
    return await loadReplayFile(file);
  } catch (error) {
    if (error instanceof ReplayFileError) throw new EngineInputError(error.message);
    throw error;
  }
}

function parseTime(input: number | string | undefined, fallback: number): number {
  if (input === undefined) return fallback;
  const time = typeof input === 'number' ? input : Date.parse(input);
  if (!Number.isFinite(time)) throw new EngineInputError(`start time "${input}" is not a time: use an ISO time like 2026-11-02T14:30:00Z`);
  return time;
}

function positive(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new EngineInputError(`${name} must be a number > 0, got ${String(value)}`);
  return value;
}

function guard<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw new EngineInputError(messageOf(error));
  }
}

/**
 * Runs a strategy on Polygon's history (cached under `dataDir`/history as Parquet) or on a recorded
 * session, through the same engine as a live paper run, and returns its report and final books.
 * Loaded on demand: it brings DuckDB and the REST client.
 */
export async function backtest(options: BacktestOptions): Promise<BacktestResult> {
  const loaded = await import('./backtest/backtest.ts');
  return loaded.backtest(options);
}

export { Engine, EngineInputError };
export type { BacktestOptions, BacktestProgress, BacktestResult } from './backtest/backtest.ts';
export type { TickData } from './backtest/tick-history.ts';
// Bars of your own as a replay: fill the columns, then createEngine({ market: { kind: 'replay', session: barSession(columns) } }).
export { allocateBarColumns, barSession, type BarColumns } from './backtest/bar-columns.ts';
export type { CancelOutcome, ReplayControl, SnapshotOptions } from './engine.ts';
export type { HistoryCursor, HistoryPage, HistoryQuery } from './history-page.ts';
export type { EngineEvents, EngineLogEntry } from './events.ts';
export type { FeeConfig, FeeModel } from './execution/fee-model.ts';
export type { FillModel, FillOpportunity } from './execution/fill-model.ts';
export type { SlippageModel } from './execution/slippage-model.ts';
export { defaultFillModel } from './execution/fill-model.ts';
export type { OrderChanges, OrderClass, OrderRequest, OrderStatus, OrderType, Side, StopLossRequest, TakeProfitRequest, TimeInForce } from './orders/order.ts';
export type { AlertFired, AlertKind, AlertRequest, AlertView } from './alerts/alert-book.ts';
export type { CandleRange, CandleSeries, CandleView } from './market/candles.ts';
export { CANDLE_RANGES } from './market/candles.ts';
export type { TickerMatch } from './market/types.ts';
export type { EngineSnapshot, FillView, MarginView, OrderView, PortfolioView, PositionView, QuoteView } from './snapshot.ts';
export type { Strategy, StrategyContext, StrategyDefinition } from './strategy/strategy.ts';
export type { Bar, MarketDataProvider, MarketEvent, MarketStatus, Quote, Trade } from './market/types.ts';
export type { Clock, Timer } from './clock/clock.ts';
export { defineStrategy } from './strategy/strategy.ts';
export { readOrderFields, validateOrderRequest } from './orders/validate-order.ts';
export { isWorking } from './orders/order.ts';
export type { RiskView } from './risk/risk-guard.ts';
export type { PerformanceView, TradeStatsView } from './performance-view.ts';
export type { ActionRecord, AnnouncedActions, CorporateActionSource, DividendEvent, SplitEvent } from './portfolio/corporate-actions.ts';
export type { RiskLimitChanges } from './risk/risk-limits.ts';
export { formatCents, formatPrice, formatQty, priceToNumber, qtyToNumber } from './money.ts';
export type { Cents, Price, Qty } from './money.ts';
export { z } from 'zod';
