import { EventBus } from './bus.ts';
import type { Clock } from './clock/clock.ts';
import type { ManualClock } from './clock/manual-clock.ts';
import { EngineInputError, messageOf } from './errors.ts';
import type { EngineEvents, EngineLogEntry } from './events.ts';
import { brokerageFor, type BrokerageModels } from './execution/brokerage-model.ts';
import { PaperExecutor, type Fill } from './execution/paper-executor.ts';
import { affordableQty, CENT_DECIMALS, type Cents, formatCents, formatPrice, formatQty, formatUsd, parseDecimal, type Price } from './money.ts';
import { QuoteCache, type SymbolMarket } from './market/quote-cache.ts';
import { ALWAYS_OPEN, describeOpen, REGULAR_HOURS, stockClockAt, type MarketHours, type StockClock } from './market/market-hours.ts';
import { assetClassOf, normalizeSymbol } from './market/symbols.ts';
import type { MarketDataProvider, MarketEvent, MarketStatus, MarketStepper, TickerMatch } from './market/types.ts';
import { isWorking, legCountOf, remainingQty, type Order, type OrderChanges, type OrderRequest } from './orders/order.ts';
import { ownerOf, strategySource, USER_OWNER } from './portfolio/attribution.ts';
import { Ledger, valuePortfolio } from './portfolio/ledger.ts';
import { EQUITY_POINTS_KEPT, EquitySeries, TradeTally } from './portfolio/metrics.ts';
import { historyPage, seqOf, type HistoryItems, type HistoryPage, type HistoryQuery } from './history-page.ts';
import { averagePrice, fillView, marginView, orderView, portfolioView, quoteView, type EngineSnapshot, type FillView, type MarginView, type OrderView } from './snapshot.ts';
import { resolveParams, type ResolvedStrategy, type StrategyRegistry } from './strategy/registry.ts';
import { StrategyRunner } from './strategy/runner.ts';
import { fetchWarmUpHistory } from './strategy/warm-up.ts';
import type { StrategyContext, StrategyDefinition } from './strategy/strategy.ts';
import type { BooksCheckpoint, Journal, RecoveredAccount } from './persistence/journal.ts';
import { escapeControls } from './printable.ts';
import { riskView, type RiskGuard, type RiskView } from './risk/risk-guard.ts';
import { ActionCalendar, previousDay, type DueAction } from './portfolio/action-calendar.ts';
import { describeAction, type ActionRecord, type CorporateActionSource } from './portfolio/corporate-actions.ts';
import { daysBetween, newYorkDate, newYorkDayStart, newYorkWallTime } from './market/trading-day.ts';
import { describeLimits, type RiskLimitChanges } from './risk/risk-limits.ts';
import type { ValidOrderRequest } from './orders/validate-order.ts';
import { redactKey } from './redact.ts';
import { DayTrades, patternDayTradeRefusal } from './risk/day-trades.ts';
import { formatBorrowRate, readBorrowRateSetting } from './portfolio/borrow-fees.ts';
import { EquityTracker, equityStats } from './portfolio/performance.ts';
import { performanceView, type PerformanceView } from './performance-view.ts';
import { AlertBook, alertView, checkAlertRequest, type Alert, type AlertRequest, type AlertView } from './alerts/alert-book.ts';
import { candleOfBar, candleView, CandleRecorder, mergeCandles, RANGE_SPEC, CANDLE_RANGES, type Candle, type CandleRange, type CandleSeries } from './market/candles.ts';

export interface EngineParts {
  symbols: readonly string[];
  /** Never shown, whatever text carries them (the Polygon key, e.g. sent back as a symbol). */
  secrets?: readonly string[];
  ledger: Ledger;
  clock: Clock;
  /** Present when time moves only with market events (replay, fast simulation, tests). */
  manualClock: ManualClock | undefined;
  provider: MarketDataProvider;
  brokerage: BrokerageModels;
  registry: StrategyRegistry;
  maxQuoteAgeMs: number;
  equityIntervalMs: number;
  /** Orders and fills a run without an account keeps in memory before its scratch store takes the older ones (default SCRATCH_HISTORY_AT). */
  historyInMemory?: number;
  /** Record minute bars for charts (Engine.candles); a backtest leaves it off. */
  charts?: boolean;
  /** Where every order, fill and strategy switch is saved before anyone hears of it. */
  journal?: Journal | undefined;
  /**
   * Without an account, a scratch store for the run's history: orders and fills go to it in
   * batches and leave memory, so a long backtest runs in the same memory as a short one.
   */
  scratch?: Journal | undefined;
  /** The saved account to continue (its ledger is already rebuilt into `ledger`). */
  recovered?: RecoveredAccount | undefined;
  /** The account's risk limits, kill switch and day's loss. */
  risk: RiskGuard;
  /** The options changed the account's limits: save them with the first commit. */
  riskChanged?: boolean;
  /** Where splits and dividends of held stocks are announced (Polygon's reference data, or a given list); none: they are not applied. */
  corporateActions?: CorporateActionSource | undefined;
}

/** How far ahead announced splits and dividends are read, so one is known before its date comes. */
const ACTIONS_AHEAD_DAYS = 30;
/** How long a start waits for the announced actions before it goes on without them (they apply when they arrive). */
const ACTIONS_WAIT_MS = 5_000;

export interface SnapshotOptions {
  /** Keep only working orders plus this many recent finished orders, and this many recent fills. */
  recent?: number;
  /** Sample the equity series down to about this many points (the last point always kept). */
  equityPoints?: number;
}

export type CancelOutcome = { ok: true; order: OrderView } | { ok: false; error: string };

/** Steps a market that is driven by hand (replay, or the simulated market on a manual clock). */
export interface ReplayControl {
  /** Delivers the next n events (default 1), each settled; resolves with how many were delivered. */
  step(n?: number): Promise<number>;
  /** Delivers every remaining event. */
  runToEnd(): Promise<number>;
  readonly done: boolean;
  readonly position: number;
  readonly total: number | undefined;
  /** The market time of the next event (a replay), to play it at its recorded pace. */
  readonly nextTime: number | undefined;
}

const MAX_SETTLE_STEPS = 100_000;
/** No real strategy places this many orders for one event; one that does is looping. */
const MAX_STRATEGY_ORDERS_PER_INPUT = 1000;
/** How long a starting strategy waits for its warm-up history before it starts cold. */
const WARM_UP_TIMEOUT_MS = 15_000;
/** How long a chart's candles from the provider are used before it is asked again. */
const CANDLES_FRESH_MS = 60_000;
/** Events a replay run to its end steps at a time (and reads ahead): few enough to die young in the garbage collector. */
const CHUNK = 4096;
/** Orders, and fills, kept in memory beyond the working orders; older ones are read from the store. */
const HISTORY_IN_MEMORY = 1_000;
/** An account's equity series is saved a point a minute: enough for daily returns and drawdowns, 525,600 rows a year at most. */
const EQUITY_SAVE_EVERY_MS = 60_000;
/** Orders and fills in memory that make the engine let the older ones go, once an account's journal holds them. */
const SAVE_HISTORY_AT = 4 * HISTORY_IN_MEMORY;
/**
 * The same for a run's scratch store, which writes them only then, in one transaction. Measured:
 * an order and its fill hold about 3.5 KB together, so 100,000 took a 5-million-event backtest from
 * 205 MB to 539 MB at its peak; 10,000 keeps it near the first.
 */
const SCRATCH_HISTORY_AT = 10_000;

/**
 * The kernel. Market events and commands go in one at a time; each updates the cache, the
 * executor and the ledger first, then the strategy hears of it, then listeners. Notifications
 * queue and settle in order until none are pending, so the same input gives the same books.
 */
export class Engine {
  readonly #parts: EngineParts;
  readonly #bus = new EventBus<EngineEvents>();
  readonly #cache = new QuoteCache();
  readonly #executor: PaperExecutor;
  readonly #runner: StrategyRunner;
  readonly #equity: EquitySeries;
  /** The equity series' statistics, kept as it grows. */
  readonly #performance = new EquityTracker();
  readonly #symbols: Set<string>;
  /** Queued notifications: a task, or a market event for the strategy (queued as itself: one less object an event). */
  readonly #queue: ((() => void) | MarketEvent)[] = [];
  #queueHead = 0;
  #settling = false;
  #depth = 0;
  /** Orders the strategy placed while settling the current input. */
  #strategyOrders = 0;
  #status: EngineSnapshot['status'] = 'created';
  #market: MarketStatus;
  /** Set when the journal could not save: nothing more is acknowledged, trading stops. */
  #notSaved: string | undefined;
  /** A strategy's fill happened: its save() goes into the next commit. */
  #strategyStateChanged = false;
  /** placeOrder is submitting: leave the commit to the shared flush. */
  #groupCommit = false;
  /** The first start resumed the saved account (and its replay); later starts only restart. */
  #resumed = false;
  /** close() released the account: nothing more is written. */
  #closed = false;
  #flush: Promise<void> | undefined;
  readonly #hours: MarketHours;
  readonly replay: ReplayControl;
  /** Where the history lives beyond memory: the account's journal, or the run's scratch store. */
  readonly #store: Journal | undefined;
  #scratchFailed = false;
  /** Announced splits and dividends still to meet, and the ones the account met. */
  readonly #actions: ActionCalendar;
  readonly #actionRecords: ActionRecord[];
  /** When the New York day the actions were last met for ends. */
  #actionsDayEndsAt = 0;
  /** Stocks whose announced actions were read (today): a new position in another is read when it opens. */
  readonly #actionsRead = new Set<string>();
  /** A margin account's day trades, for the pattern-day-trader rule. */
  readonly #dayTrades = new DayTrades();
  /** The New York date borrow fees were last charged to (or the account last seen): the nights since are due. */
  #borrowDay: string | undefined;
  /** When the last point of the equity series was saved with the account. */
  #equitySavedAt = Number.MIN_SAFE_INTEGER;
  /** When #borrowDay ends (the next New York midnight): until then an event needs no date worked out (microseconds each). */
  #borrowDayEndsAt = 0;
  /** The minute bars of what this run saw, for charts where the provider has no past. */
  readonly #candles: CandleRecorder | undefined;
  /** The provider's candles last read per symbol and range, and when. */
  readonly #providedCandles = new Map<string, { at: number; candles: Candle[] }>();
  readonly #alerts: AlertBook;

  constructor(parts: EngineParts) {
    this.#parts = parts;
    this.#store = parts.journal ?? parts.scratch;
    this.#symbols = new Set(parts.symbols);
    this.#equity = new EquitySeries(parts.equityIntervalMs);
    // The chart picks up where the account left off, rather than starting flat; the performance covers the account's life.
    const saved = parts.journal?.equityPoints() ?? [];
    for (const point of saved) this.#performance.add(point);
    for (const point of saved.slice(-EQUITY_POINTS_KEPT)) this.#equity.add(point.time, point.equity);
    this.#equitySavedAt = this.#equity.points().at(-1)?.time ?? Number.MIN_SAFE_INTEGER;
    this.#market = { source: parts.provider.source, state: 'connecting' };
    this.#hours = parts.provider.hours ?? ALWAYS_OPEN;
    this.#bus.onListenerError = (event, error) => this.#listenerFailed(event, error);
    this.#executor = new PaperExecutor({
      clock: this.#settlingClock(parts.clock),
      ledger: parts.ledger,
      cache: this.#cache,
      brokerage: parts.brokerage,
      knownSymbols: this.#symbols,
      maxQuoteAgeMs: parts.maxQuoteAgeMs,
      hours: this.#hours,
      // Polygon's data, live or recorded, carries the official opening and closing prints; the simulated market has no auctions.
      auctions: parts.provider.source !== 'simulated',
      shown: (text) => this.#shown(text),
      margin: parts.ledger.shorts ? { hours: parts.provider.hours ?? REGULAR_HOURS } : undefined,
      risk: (request, reservePrice, replacing) => this.#riskCheck(request, reservePrice, replacing),
      ...(this.#store ? { stored: { order: (id) => this.#store!.storedOrder(id), fill: (id) => this.#store!.storedFill(id) } } : {}),
      listener: { order: (order) => this.#onOrder(order), fill: (fill) => this.#onFill(fill) },
    });
    this.#runner = new StrategyRunner({
      contextFor: (name) => this.#strategyContext(name),
      cancelOrdersOf: (source) => this.#cancelWhere((order) => order.source === source, 'canceled: its strategy stopped'),
      report: (level, message) => this.#log(level, message),
      announce: (active) => {
        parts.journal?.strategy(active);
        this.#publish('strategy', active);
      },
    });
    this.replay = this.#replayControl(parts.provider.stepper);
    if (parts.riskChanged) parts.journal?.risk(parts.risk.saved);
    const recovered = parts.recovered;
    this.#alerts = new AlertBook(recovered?.alerts ?? []);
    this.#candles = parts.charts === false ? undefined : new CandleRecorder();
    const lastActivity = Math.max(recovered?.fills.at(-1)?.time ?? 0, recovered?.actions?.at(-1)?.time ?? 0);
    // From the day of the last activity on: an event of that day the books do not show yet is met now (by what was held at its start).
    this.#actions = new ActionCalendar(recovered?.actions ?? [], lastActivity > 0 ? previousDay(newYorkDate(lastActivity)) : undefined);
    this.#actionRecords = [...(recovered?.actions ?? [])];
    const charged = [...this.#actionRecords].reverse().find((record) => record.kind === 'borrow_fee');
    this.#borrowDay = charged?.kind === 'borrow_fee' ? charged.date : lastActivity > 0 ? newYorkDate(lastActivity) : undefined;
    if (recovered) {
      this.#countDayTrades(recovered.fills);
      this.#run(() => this.#executor.restore(recovered.orders, recovered.fills, recovered.actions));
      // All of it is saved: memory keeps only the recent part, however long the account has traded.
      this.#executor.forget(HISTORY_IN_MEMORY);
      recovered.orders.length = 0;
      recovered.fills.length = 0;
    }
  }

  on<K extends keyof EngineEvents>(name: K, listener: (payload: EngineEvents[K]) => void): () => void {
    return this.#bus.on(name, listener);
  }

  off<K extends keyof EngineEvents>(name: K, listener: (payload: EngineEvents[K]) => void): void {
    this.#bus.off(name, listener);
  }

  get symbols(): string[] {
    return [...this.#symbols];
  }

  async start(): Promise<void> {
    if (this.#status === 'running') return;
    this.#status = 'running';
    this.#run(() => this.#runner.resume());
    // With positions, equity is known only once they have prices: the first mark adds the first point.
    if (this.#parts.ledger.positions.size === 0) this.#addEquity(this.#parts.clock.now());
    await this.#parts.provider.start({
      event: (event) => this.#runEvent(event),
      status: (status) => this.#run(() => this.#onMarketStatus(status)),
      notice: (message) =>
        this.#run(() => {
          this.#log('warn', message);
          this.#bus.emit('marketData', { kind: 'notice', message });
        }),
      traffic: (entry) => this.#bus.emit('marketData', entry),
      previousClose: (symbol, price) =>
        this.#run(() => {
          const market = this.#cache.setPreviousClose(symbol, price);
          if (this.#bus.has('quote')) this.#publish('quote', quoteView(market));
        }),
    });
    if (!this.#resumed) {
      this.#resumed = true;
      await this.#resumeReplay();
      this.#describeAccount();
    }
    if (this.#parts.corporateActions) {
      this.#actions.startAt(newYorkDate(this.#parts.clock.now()));
      await this.#readActions(ACTIONS_WAIT_MS);
      this.#run(() => this.#meetActions(this.#parts.clock.now()));
    }
    this.#settle();
  }

  /**
   * Reads the splits and dividends announced for the held stocks (all of them, or `only`), from
   * the day after the account was last active to a month ahead. Waits at most `waitMs`: what
   * comes later is met when it comes.
   */
  async #readActions(waitMs: number, only?: string): Promise<void> {
    const source = this.#parts.corporateActions;
    if (!source) return;
    const now = this.#parts.clock.now();
    const from = this.#actions.after ?? newYorkDate(now);
    const to = newYorkDate(now + ACTIONS_AHEAD_DAYS * 86_400_000);
    const symbols = only ? [only] : [...this.#parts.ledger.positions.keys()].filter((symbol) => assetClassOf(symbol) === 'stock');
    if (symbols.length === 0) return;
    for (const symbol of symbols) this.#actionsRead.add(symbol);
    const read = source.actions(symbols, from, to).then(
      (announced) => {
        if (this.#closed) return;
        this.#actions.add(announced);
        if (!this.#notSaved) this.#run(() => this.#meetActions(this.#parts.clock.now()));
      },
      (error: unknown) => this.#log('warn', `splits and dividends could not be read (${messageOf(error)}): they are applied once they can be`),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([read, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
  }

  /** Applies the splits and dividends due by now's New York date, each saved and logged. */
  #meetActions(now: number): void {
    if (this.#status !== 'running') return;
    const date = newYorkDate(now);
    // A dividend owed may be paid the same day it is met (its pay date passed too): look again until nothing is due.
    for (let due = this.#actions.due(date), rounds = 0; due.length > 0 && rounds < 3; due = this.#actions.due(date), rounds++) this.#meet(due);
  }

  #meet(dueActions: readonly DueAction[]): void {
    for (const due of dueActions) {
      let record: ActionRecord | undefined;
      try {
        record = due.kind === 'split' ? this.#executor.split(due.event) : due.kind === 'dividend' ? this.#executor.owe(due.event) : this.#executor.pay(due.owed);
      } catch (error) {
        // An event the books cannot take (e.g. a split announced after its position was closed) is said, and passed.
        this.#log('error', `${due.kind === 'payment' ? `dividend payment ${due.owed.id}` : `${due.kind} ${due.event.id} of ${due.event.symbol}`} not applied: ${messageOf(error)}`);
      }
      if (due.kind === 'split') this.#cache.split(due.event.symbol, due.event.from, due.event.to, newYorkDayStart(due.event.date));
      if (!record) {
        if (due.kind !== 'payment') this.#actions.pass(due.event.id);
        continue;
      }
      this.#actions.record(record);
      this.#actionRecords.push(record);
      this.#store?.action(record);
      this.#log('info', describeAction(record));
    }
  }

  /** The splits and dividends the account met, oldest first. */
  corporateActions(): ActionRecord[] {
    return [...this.#actionRecords];
  }

  /** Says once which account this is and what came back of it. */
  #describeAccount(): void {
    const { journal, recovered, ledger } = this.#parts;
    if (!journal) return;
    if (!recovered) {
      this.#log('info', `account "${journal.account}" created with ${formatUsd(ledger.startingCash)} (saved in ${journal.location})`);
      return;
    }
    const executor = this.#executor;
    this.#log(
      'info',
      `account "${journal.account}" resumed: ${executor.orderCount} orders (${executor.workingOrders().length} working), ${executor.fillCount} fills, cash ${formatUsd(ledger.cash)}`,
    );
  }

  /**
   * A replayed session on a saved account resumes after the events its last run had delivered:
   * they rebuild the quotes and the clock, but trade nothing again.
   */
  async #resumeReplay(): Promise<void> {
    const { provider, recovered } = this.#parts;
    const stepper = provider.stepper;
    const position = this.#savedPosition();
    const saved = recovered?.checkpoint;
    if (position === 0 && saved && saved.marketPosition > 0 && stepper) {
      this.#log('info', `this replay is not the one the account was part-way through (${saved.marketSession}): it starts at its first event`);
    }
    if (position <= 0 || !stepper?.fastForward || stepper.position > 0) return;
    await stepper.fastForward(position, (event) => this.#absorb(event));
    for (const symbol of this.#symbols) {
      const quote = this.#cache.get(symbol)?.quote;
      if (quote) this.#executor.resumeQuote(quote);
    }
    this.#log('info', `resumed the replay after event ${position} of ${stepper.total ?? '?'}, where the last run on this account stopped`);
  }

  /** Stops taking market data and orders; working orders stay as they are. */
  async stop(): Promise<void> {
    if (this.#status !== 'running') return;
    this.#status = 'stopped';
    this.#runner.halt();
    this.#strategyStateChanged = this.#runner.active !== null;
    // The last point of the equity series is saved with the rest.
    this.#parts.journal?.equity({ time: this.#parts.clock.now(), equity: this.#totalEquity() });
    this.#commit(true);
    this.#settle();
    await this.#parts.provider.stop();
  }

  /** Stops and releases the account (its lock): the engine cannot start again. */
  async close(): Promise<void> {
    await this.stop();
    this.#closed = true;
    this.#executor.cancelTimers();
    this.#parts.journal?.close();
    this.#parts.scratch?.close();
  }

  /**
   * Places an order as the user; never throws for bad input: a rejected order carries the reason.
   * Resolves once it is saved. Orders placed together (HTTP requests
   * that arrive at once) share one durable commit: with synchronous=FULL a commit costs a disk
   * flush, and one flush for many orders is what lets the API take thousands a second.
   */
  async placeOrder(request: OrderRequest, source = 'user'): Promise<OrderView> {
    if (!this.#parts.journal || this.#settling || this.#depth > 0) return this.submitOrder(request, source);
    this.#groupCommit = true;
    let view: OrderView;
    try {
      view = this.submitOrder(request, source);
    } finally {
      this.#groupCommit = false;
    }
    await this.#flushSoon();
    return this.#unlessUnsaved(view);
  }

  /** Never acknowledge what could not be saved: an order accepted in memory but not on disk is reported rejected. */
  #unlessUnsaved(view: OrderView): OrderView {
    return this.#notSaved && view.status !== 'rejected' ? { ...view, status: 'rejected', reason: `not saved: ${this.#notSaved}` } : view;
  }

  /** Commits and settles what group-committed inputs left pending, once this turn of the event loop is done. */
  #flushSoon(): Promise<void> {
    this.#flush ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.#flush = undefined;
        this.#commit();
        this.#settle();
        resolve();
      }),
    );
    return this.#flush;
  }

  /** What the trader may still sell of `symbol` now, as the pre-trade check counts it: the position less what working sells (an oco pair once) hold. */
  sellableQty(symbol: string): string {
    const qty = this.#executor.sellableQty(symbol, 'user');
    return formatQty(qty > 0n ? qty : 0n);
  }

  /**
   * The qty `dollars` buys (a buy, at the ask) or brings (a sell, at the bid) of `symbol` now, cut
   * to the lot its kind of order trades in; the mark stands in for a missing side. Alpaca's
   * notional orders become qty orders by it.
   */
  qtyForNotional(symbol: string, side: 'buy' | 'sell', dollars: string, order: Pick<ValidOrderRequest, 'type' | 'timeInForce'>): { ok: true; qty: string } | { ok: false; error: string } {
    const cents = parseDecimal(dollars, CENT_DECIMALS);
    if (!cents.ok || cents.value <= 0n) return { ok: false, error: `notional must be an amount of dollars above 0 with at most 2 decimals, such as "250.50", got "${dollars}"` };
    const normalized = normalizeSymbol(symbol);
    if (!normalized.ok) return normalized;
    const market = this.#cache.get(normalized.symbol);
    const price = (side === 'buy' ? market?.quote?.ask : market?.quote?.bid) || market?.mark;
    if (!price) return { ok: false, error: `no price for ${normalized.symbol} yet to turn a notional into a qty: send qty, or wait for a quote` };
    const lot = brokerageFor(this.#parts.brokerage, normalized.symbol).lotSize(order);
    const qty = affordableQty(cents.value, price, lot);
    if (qty === 0n) return { ok: false, error: `$${dollars} is less than the smallest qty of ${normalized.symbol} this order can trade at ${formatPrice(price)}` };
    return { ok: true, qty: formatQty(qty) };
  }

  /** The order with this id, if any. */
  order(id: string): OrderView | undefined {
    const order = this.#executor.order(String(id));
    return order && orderView(order);
  }

  /** One page of the account's orders, open (working), closed or all (see HistoryQuery). */
  orderHistory(query: HistoryQuery & { status?: 'open' | 'closed' | 'all' } = {}): HistoryPage<OrderView> {
    const status = query.status ?? 'all';
    const items = status === 'open' ? this.#executor.openOrders().sort((a, b) => seqOf(a.id) - seqOf(b.id)) : this.#orderItems();
    const page = historyPage(items, query, (order) => order.createdAt, status === 'closed' ? (order) => !isWorking(order) : undefined);
    return { items: page.items.map(orderView), more: page.more };
  }

  /** One page of the account's fills (see HistoryQuery). */
  fillHistory(query: HistoryQuery = {}): HistoryPage<FillView> {
    const page = historyPage(this.#fillItems(), query, (fill) => fill.time);
    return { items: page.items.map(fillView), more: page.more };
  }

  /** The whole history by position, from memory or the store. */
  #orderItems(): HistoryItems<Order> {
    const executor = this.#executor;
    return { length: executor.orderCount, at: (index) => executor.orderAt(index) };
  }

  #fillItems(): HistoryItems<Fill> {
    const executor = this.#executor;
    return { length: executor.fillCount, at: (index) => executor.fillAt(index) };
  }

  /** The accepted order placed with this client order id, if any: ids are unique per account. */
  orderByClientOrderId(clientOrderId: string): OrderView | undefined {
    const order = this.#executor.orderByClientId(String(clientOrderId));
    return order && orderView(order);
  }

  submitOrder(request: OrderRequest, source = 'user'): OrderView {
    const view = this.#run(() => {
      const notRunning =
        this.#notSaved ? `${this.#notSaved}; trading stopped`
        : this.#status === 'created' ? 'the engine has not started: call engine.start() first'
        : this.#status === 'stopped' ? 'the engine is stopped: start it again to trade'
        : undefined;
      const order = notRunning ? this.#executor.reject(request, source, notRunning) : this.#submit(request, source);
      return orderView(order);
    });
    return this.#unlessUnsaved(view);
  }

  cancelOrder(id: string, reason?: string): CancelOutcome {
    return this.#savedChange(() => {
      const result = this.#executor.cancel(String(id), reason);
      return result.ok ? { ok: true, order: orderView(result.order) } : result;
    });
  }

  /**
   * Replaces a working order's qty (the new whole qty, fills included), limit, stop or trail; the
   * order keeps its id and fills. A refusal says why and leaves the order as it was.
   */
  replaceOrder(id: string, changes: OrderChanges): CancelOutcome {
    return this.#savedChange(() => {
      const result = this.#executor.replace(String(id), changes);
      return result.ok ? { ok: true, order: orderView(result.order) } : { ok: false, error: this.#shown(result.error) };
    });
  }

  /** A change to a working order, run and saved; refused once trading stopped, and never acknowledged unsaved. */
  #savedChange(change: () => CancelOutcome): CancelOutcome {
    if (this.#notSaved) return { ok: false, error: `not saved: ${this.#notSaved}; trading stopped` };
    const outcome = this.#run(change);
    return this.#notSaved && outcome.ok ? { ok: false, error: `not saved: ${this.#notSaved}` } : outcome;
  }

  /** Cancels every working order (the user's and the strategy's). */
  cancelAllOrders(): number {
    if (this.#notSaved) return 0;
    return this.#run(() => this.#cancelWhere(() => true, 'canceled by user (cancel all)'));
  }

  /**
   * Turns a margin account's pattern-day-trader rule on or off, saved with the account (off, a
   * 4th day trade in 5 business days is taken whatever the equity).
   */
  setPatternDayTrader(on: boolean): RiskView {
    this.#parts.risk.setPatternDayTrader(on);
    return this.#saveRisk(`pattern day trader rule ${on ? 'on' : 'off'}`);
  }

  /**
   * Sets what a margin account's shorts pay to borrow, percent a year ("3", 0.25), or null / "off"
   * for nothing; saved with the account. A bad rate is an EngineInputError naming it.
   */
  setBorrowRate(rate: string | number | null): RiskView {
    const read = readBorrowRateSetting(rate);
    if ('error' in read) throw new EngineInputError(read.error);
    this.#parts.risk.setBorrowRate(read.rate);
    return this.#saveRisk(read.rate === undefined ? 'borrow rate off: shorts pay no borrow fee' : `borrow rate ${formatBorrowRate(read.rate)}% a year on shorts held overnight`);
  }

  /**
   * A new New York day: each short held over the nights since the last charge pays its borrow
   * fee at its last price, saved and logged (nothing unless a rate is set). Nights while
   * paper-trader was not running are charged at the first one after.
   */
  #chargeBorrowFees(now: number): void {
    if (now < this.#borrowDayEndsAt) return;
    this.#borrowDayEndsAt = newYorkWallTime(now, 1, 0);
    const today = newYorkDate(now);
    const since = this.#borrowDay;
    if (since === today) return;
    this.#borrowDay = today;
    const rate = this.#parts.risk.borrowRate;
    if (since === undefined || rate === undefined || since > today) return;
    const days = daysBetween(since, today);
    for (const position of [...this.#parts.ledger.positions.values()]) {
      if (position.qty >= 0n) continue;
      const price = this.#cache.markOf(position.symbol) ?? averagePrice(-position.costBasis, -position.qty);
      const record = this.#executor.chargeBorrow(position.symbol, today, days, price, rate, now);
      if (!record) continue;
      this.#actionRecords.push(record);
      this.#store?.action(record);
      this.#log('info', describeAction(record));
    }
  }

  /** A margin account's equity, requirements and day trades (undefined for a cash account). */
  #marginView(): MarginView | undefined {
    const status = this.#executor.marginStatus();
    return status && marginView(status, this.#dayTrades.count(this.#parts.clock.now()), this.#parts.risk.patternDayTrader);
  }

  /**
   * The account's performance: Sharpe, Sortino, CAGR and the deepest drawdown from the equity
   * seen since this run started (daily returns, 252 days a year; `riskFreeRate` a yearly
   * fraction), and the trade statistics of every finished order, for the account, per symbol and
   * per owner (the trader, each strategy).
   */
  performance(options: { riskFreeRate?: number; from?: number; to?: number } = {}): PerformanceView {
    const riskFreeRate = options.riskFreeRate ?? 0;
    if (!Number.isFinite(riskFreeRate) || riskFreeRate < 0 || riskFreeRate >= 1) {
      throw new EngineInputError(`the risk-free rate must be a yearly fraction from 0 to below 1, such as 0.04 for 4%, got ${String(options.riskFreeRate)}`);
    }
    if (options.from !== undefined || options.to !== undefined) return this.#performanceBetween(riskFreeRate, options.from ?? Number.MIN_SAFE_INTEGER, options.to ?? Number.MAX_SAFE_INTEGER);
    // Running, the equity now ends the series; otherwise (a report) its positions have no prices yet, and the saved series ends it.
    const now = this.#status === 'running' ? { time: this.#parts.clock.now(), equity: this.#totalEquity() } : undefined;
    const stats = this.#performance.stats(riskFreeRate, now);
    return performanceView(stats, this.#executor.tradeCounts(), { riskFreeRate, since: this.#performance.firstTime ?? now?.time ?? null });
  }

  /**
   * The performance of [from, to] only: the saved equity series' points in it (an account's; a run
   * without one, the chart's), and the orders that finished in it. Read once, for a report.
   */
  #performanceBetween(riskFreeRate: number, from: number, to: number): PerformanceView {
    const inRange = (time: number): boolean => time >= from && time <= to;
    const points = (this.#parts.journal?.equityPoints(from) ?? this.#equity.points()).filter((point) => inRange(point.time));
    const tally = new TradeTally();
    const orders = this.#orderItems();
    for (let i = 0; i < orders.length; i++) {
      const order = orders.at(i);
      if (order && !isWorking(order) && inRange(order.updatedAt)) tally.finished(order);
    }
    return performanceView(equityStats(points, riskFreeRate), tally.counts(), { riskFreeRate, since: points[0]?.time ?? null });
  }

  /** Equity at the last point before today's New York midnight, else today's first point (found by binary search). */
  #previousCloseEquity(now: number): Cents | undefined {
    const points = this.#equity.points();
    const midnight = newYorkDayStart(newYorkDate(now));
    let low = 0;
    let high = points.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (points[middle]!.time < midnight) low = middle + 1;
      else high = middle;
    }
    return (points[low - 1] ?? points[0])?.equity;
  }

  /** A point of the equity series (with what the positions are worth, for exposure): kept for the chart, and an account's saved once a minute, or at once when `now`. */
  #addEquity(time: number, now = false): void {
    const { totalEquity: equity, grossValue: gross } = valuePortfolio(this.#parts.ledger, this.#cache.markOf);
    this.#equity.add(time, equity);
    this.#performance.add({ time, equity, gross });
    // A later value at the same instant replaces the point saved for it (the series keeps the last).
    if (!this.#parts.journal || (!now && time !== this.#equitySavedAt && time - this.#equitySavedAt < EQUITY_SAVE_EVERY_MS)) return;
    this.#equitySavedAt = time;
    this.#parts.journal.equity({ time, equity, gross });
  }

  /** The account's risk limits in force, its kill switch, and the day's loss. */
  risk(): RiskView {
    return riskView(this.#parts.risk, this.#totalEquity());
  }

  /**
   * Sets risk limits (a number or decimal string; null or "off" turns one off), saved with the
   * account: all of them or, when one is not valid, none (EngineInputError names it).
   */
  setRiskLimits(changes: RiskLimitChanges): RiskView {
    const { risk } = this.#parts;
    const error = risk.setLimits(changes);
    if (error) throw new EngineInputError(error);
    return this.#saveRisk(`risk limits: ${describeLimits(risk.limits)}`);
  }

  /** Saves a change of the account's risk settings with it, says it in the log, and shows the settings now. */
  #saveRisk(message: string): RiskView {
    const { risk, journal } = this.#parts;
    this.#run(() => journal?.risk(risk.saved));
    this.#log('info', message);
    return this.risk();
  }

  /**
   * The kill switch: cancels every open order, stops the strategy, and refuses orders that open
   * positions (orders that close them are still taken) until it is released. Saved with the account.
   */
  engageKillSwitch(): { canceled: number } {
    const { risk, journal } = this.#parts;
    return this.#run(() => {
      risk.setKillSwitch(true);
      journal?.risk(risk.saved);
      const strategy = this.#runner.active?.name;
      this.#runner.stop('cleared');
      const open = this.#executor.openOrders().length;
      this.#cancelWhere(() => true, 'canceled by the kill switch');
      // Legs go with their entries: count every order that was open.
      const canceled = open - this.#executor.openOrders().length;
      this.#log('warn', `kill switch on: ${canceled} order${canceled === 1 ? '' : 's'} canceled${strategy ? `, strategy ${strategy} stopped` : ''}; orders that open positions are refused until it is released`);
      return { canceled };
    });
  }

  releaseKillSwitch(): void {
    const { risk, journal } = this.#parts;
    if (!risk.killSwitch) return;
    this.#run(() => {
      risk.setKillSwitch(false);
      journal?.risk(risk.saved);
      this.#log('info', 'kill switch released: orders are taken again');
    });
  }

  /** Switches the running strategy live; throws EngineInputError for an unknown name or bad params. */
  setStrategy(name: string, params?: Record<string, unknown>, options: { savedState?: unknown } = {}): void {
    const resolved = this.#parts.registry.resolve(String(name), params);
    const { risk } = this.#parts;
    if (risk.watchesLoss) this.#run(() => this.#watchDailyLoss(this.#parts.clock.now()));
    if (risk.killSwitch) throw new EngineInputError('the kill switch is on: release it before starting a strategy');
    if (risk.halted) throw new EngineInputError(`trading is halted for the day (${risk.halted}): a strategy may start again tomorrow`);
    this.#run(() => {
      this.#runner.start(resolved, options.savedState);
      // Announcing the switch cleared the saved state: save the loaded one again.
      this.#strategyStateChanged = options.savedState !== undefined;
    });
    this.#warmUp(resolved);
  }

  /**
   * Feeds a strategy that wants history the last minute bars of each symbol before it sees live
   * data (held meanwhile). Without history in time, it starts cold and the log says why.
   */
  #warmUp(resolved: ResolvedStrategy): void {
    const { provider, clock } = this.#parts;
    const count = resolved.definition.warmupBars?.(resolved.params) ?? 0;
    if (!provider.history || count <= 0) return;
    const token = this.#runner.holdForWarmUp();
    if (!token) return;
    void fetchWarmUpHistory(provider, this.symbols, count, resolved.definition.name, clock, WARM_UP_TIMEOUT_MS).then(({ bars, message, level }) =>
      this.#run(() => {
        if (this.#runner.warmUp(token, bars)) this.#log(level, message);
      }),
    );
  }

  /**
   * A strategy's new code (its file was edited): registered under its name, and when it is the
   * running strategy, it takes over from the old code's saved state, with the same params, its
   * positions and working orders still its own. A new version that cannot take the running
   * params, or that throws as it starts, is refused (EngineInputError) and the old code runs on.
   */
  reloadStrategy(definition: StrategyDefinition<any>): { running: boolean } {
    const { registry } = this.#parts;
    const active = this.#runner.active;
    if (active?.name !== definition.name) {
      registry.register(definition);
      return { running: false };
    }
    let resolved: ResolvedStrategy;
    try {
      resolved = resolveParams(definition, active.params);
    } catch (error) {
      throw new EngineInputError(`strategy ${definition.name}'s new code does not take its running params (${messageOf(error)}): the old code runs on`);
    }
    this.#run(() => {
      try {
        this.#runner.reload(resolved);
      } catch (error) {
        throw new EngineInputError(`strategy ${definition.name}'s new code could not start (${messageOf(error)}): the old code runs on`);
      }
    });
    registry.register(definition);
    this.#strategyStateChanged = true;
    this.#log('info', `strategy ${definition.name} reloaded: its new code took over its state, positions and orders`);
    return { running: true };
  }

  /** A host's message in the engine's log (the screen's log, the log file, log listeners): e.g. a strategy file that failed to reload. */
  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.#log(level, message);
  }

  clearStrategy(): void {
    this.#run(() => this.#runner.stop('cleared'));
  }

  /** Adds a symbol once the provider knows it (Polygon's reference tickers): a typo is refused in one line, with the closest ticker. */
  async watchSymbol(input: string): Promise<string> {
    const normalized = normalizeSymbol(String(input));
    if (!normalized.ok) throw new EngineInputError(normalized.error);
    if (this.#symbols.has(normalized.symbol)) return normalized.symbol;
    const checked = await this.#parts.provider.checkSymbol?.(String(input), normalized.symbol);
    if (checked && !checked.ok) throw new EngineInputError(checked.error);
    return this.addSymbol(checked?.symbol ?? normalized.symbol);
  }

  addSymbol(input: string): string {
    const symbol = normalizeSymbol(String(input));
    if (!symbol.ok) throw new EngineInputError(symbol.error);
    if (!this.#symbols.has(symbol.symbol)) {
      this.#run(() => {
        this.#symbols.add(symbol.symbol);
        this.#parts.provider.subscribe([symbol.symbol]);
        this.#parts.journal?.watchlist([...this.#symbols]);
      });
    }
    return symbol.symbol;
  }

  removeSymbol(input: string): void {
    const symbol = normalizeSymbol(String(input));
    if (!symbol.ok || !this.#symbols.has(symbol.symbol)) throw new EngineInputError(`"${String(input)}" is not in the watchlist`);
    const removed = symbol.symbol;
    if (this.#parts.ledger.positionQty(removed) !== 0n) {
      throw new EngineInputError(`cannot remove ${removed}: you hold a position in it; close it first`);
    }
    this.#run(() => {
      this.#cancelWhere((order) => order.symbol === removed, `canceled: ${removed} left the watchlist`);
      this.#symbols.delete(removed);
      this.#candles?.forget(removed);
      this.#parts.provider.unsubscribe([removed]);
      this.#parts.journal?.watchlist([...this.#symbols]);
    });
  }

  /**
   * The US stock market's clock now: whether its regular session is open, and the next open and
   * close, by the provider's hours (Polygon's, which know holidays) or the exchange calendar.
   */
  stockClock(): StockClock {
    return stockClockAt(this.#parts.provider.hours ?? REGULAR_HOURS, this.#parts.clock.now());
  }

  /**
   * The equity from `from` (Unix ms) on, at most `points` points evenly sampled (the newest kept):
   * the account's saved series when it has one, else this run's.
   */
  equitySince(from: number, points: number): { time: number; equity: string }[] {
    // The journal reads from `from` on; this run's series is filtered here.
    const series = this.#parts.journal?.equityPoints(from) ?? this.#equity.points().filter((point) => point.time >= from);
    return sample(series, points).map((point) => ({ time: point.time, equity: formatCents(point.equity) }));
  }

  /** When the account's equity series began (its first point), for what asks when the account opened; undefined before any. */
  get accountOpenedAt(): number | undefined {
    return this.#performance.firstTime;
  }

  /** The alerts waiting, oldest first. */
  alerts(): AlertView[] {
    return this.#alerts.list().map(alertView);
  }

  /** Sets a price alert (above/below a price, once) or a fill alert (each fill of the symbol); kept with the account. */
  addAlert(request: AlertRequest): AlertView {
    const symbol = normalizeSymbol(String(request.symbol));
    if (!symbol.ok) throw new EngineInputError(symbol.error);
    const checked = checkAlertRequest({ ...request, symbol: symbol.symbol }, this.#cache.markOf(symbol.symbol), formatPrice);
    if (!checked.ok) throw new EngineInputError(checked.error);
    if (checked.kind === 'fill' && this.#alerts.fills(symbol.symbol).length > 0) throw new EngineInputError(`${symbol.symbol} already has a fill alert`);
    let alert: Alert | undefined;
    this.#run(() => {
      alert = this.#alerts.add(symbol.symbol, checked.kind, checked.price, this.#parts.clock.now());
      this.#parts.journal?.alerts(this.#alerts.list());
    });
    return alertView(alert!);
  }

  removeAlert(id: string): AlertView {
    let removed: Alert | undefined;
    this.#run(() => {
      removed = this.#alerts.remove(String(id));
      if (removed) this.#parts.journal?.alerts(this.#alerts.list());
    });
    if (!removed) throw new EngineInputError(`no alert "${String(id)}": GET /alerts lists them`);
    return alertView(removed);
  }

  #priceAlerts(symbol: string, mark: Price, now: number): void {
    const fired = this.#alerts.reached(symbol, mark);
    if (fired.length === 0) return;
    this.#parts.journal?.alerts(this.#alerts.list());
    for (const alert of fired) {
      const verb = alert.kind === 'above' ? 'rose to' : 'fell to';
      this.#fireAlert(alert, mark, now, `alert: ${symbol} ${verb} ${formatPrice(alert.price!)} (now ${formatPrice(mark)})`);
    }
  }

  #fireAlert(alert: Alert, price: Price, time: number, message: string): void {
    this.#publish('alert', { alert: alertView(alert), time, price: formatPrice(price), message });
  }

  /**
   * The market's tickers matching `text` (ticker or name), best first, for the screen's search:
   * Polygon's reference tickers, or the simulated market's. A provider that cannot search (a
   * replay) finds the watchlist's.
   */
  async searchSymbols(text: string, limit = 20): Promise<TickerMatch[]> {
    const needle = String(text).trim();
    if (needle === '') return [];
    const { provider } = this.#parts;
    if (provider.searchSymbols) return provider.searchSymbols(needle, limit);
    return [...this.#symbols].filter((symbol) => symbol.includes(needle.toUpperCase())).slice(0, limit).map((symbol) => ({ symbol, name: '' }));
  }

  /**
   * `symbol`'s candles over `range` (1D, 5D, 1M): the provider's bars (Polygon's aggregates) with
   * the minutes this run saw after them, or only what this run saw when the provider has no past
   * or cannot answer (then `note` says why).
   */
  async candles(input: string, range: CandleRange = '1D'): Promise<CandleSeries & { note?: string }> {
    const symbol = normalizeSymbol(String(input));
    if (!symbol.ok) throw new EngineInputError(symbol.error);
    if (!CANDLE_RANGES.includes(range)) throw new EngineInputError(`"${String(range)}" is not a chart range: use ${CANDLE_RANGES.join(', ')}`);
    const { provider, clock } = this.#parts;
    const spec = RANGE_SPEC[range];
    const recorded = this.#candles?.bars(symbol.symbol, range) ?? [];
    const series = (source: CandleSeries['source'], provided: readonly Candle[], note?: string) => ({
      symbol: symbol.symbol,
      range,
      minutes: spec.minutes,
      source,
      candles: mergeCandles(range, provided, recorded).map(candleView),
      ...(note === undefined ? {} : { note }),
    });
    if (!provider.candles) return series('recorded', []);
    const now = clock.now();
    // A chart asks every few seconds: the provider is asked at most once a minute (Polygon's free plans allow 5 calls a minute).
    const key = `${symbol.symbol} ${range}`;
    const cached = this.#providedCandles.get(key);
    if (cached && now - cached.at < CANDLES_FRESH_MS && now >= cached.at) return series('provider', cached.candles);
    try {
      const candles = (await provider.candles(symbol.symbol, Math.min(spec.minutes, 30), now - spec.lookbackMs, now)).map(candleOfBar);
      this.#providedCandles.set(key, { at: now, candles });
      return series('provider', candles);
    } catch (error) {
      return series('recorded', [], `the provider's bars could not be read (${this.#shown(messageOf(error))}): showing what this run saw`);
    }
  }

  /**
   * The whole state, JSON-safe. For a screen refreshed many times a second, `recent` keeps the
   * working orders plus the last N finished orders and fills, and `equityPoints` samples the
   * equity series down to about that many points.
   */
  snapshot(options: SnapshotOptions = {}): EngineSnapshot {
    const { ledger, clock } = this.#parts;
    const fills = this.#executor.fills;
    const recent = options.recent;
    const shownOrders = recent === undefined ? everything(this.#orderItems()) : this.#executor.recentOrders(recent);
    const shownFills = recent === undefined ? everything(this.#fillItems()) : fills.slice(Math.max(0, fills.length - recent));
    return {
      status: this.#status,
      time: clock.now(),
      market: this.#market,
      strategy: this.#runner.active,
      symbols: this.symbols,
      ...(this.#parts.journal ? { account: this.#parts.journal.account } : {}),
      stockMarketOpen: (this.#parts.provider.hours ?? REGULAR_HOURS).isOpen('stock', clock.now()),
      portfolio: portfolioView(ledger, this.#cache.markOf, this.#executor.buyingPower(), this.#executor.attribution, this.#marginView(), this.#previousCloseEquity(clock.now())),
      orders: shownOrders.map(orderView),
      fills: shownFills.map(fillView),
      quotes: this.symbols.flatMap((symbol) => {
        const market = this.#cache.get(symbol);
        return market ? [quoteView(market)] : [];
      }),
      metrics: this.#executor.metrics,
      risk: riskView(this.#parts.risk, this.#totalEquity()),
      alerts: this.alerts(),
      equity: sample(this.#equity.points(), options.equityPoints).map((point) => ({ time: point.time, equity: formatCents(point.equity) })),
    };
  }

  #onMarketEvent(event: MarketEvent): void {
    if (this.#status !== 'running') return;
    const { clock } = this.#parts;
    // The nights a short was held end at the first event of a new day, at the prices before it.
    this.#chargeBorrowFees(Math.max(clock.now(), event.time));
    const market = this.#absorb(event);
    if (market.mark !== undefined) {
      this.#candles?.record(event.symbol, event.time, market.mark, event.kind === 'trade' ? event.size : 0n);
      if (this.#alerts.watches(event.symbol)) this.#priceAlerts(event.symbol, market.mark, clock.now());
    }
    this.#newDay(clock.now());
    // Listeners hear of the market first, then of the fills and orders it caused.
    if (this.#bus.has('quote')) this.#publish('quote', quoteView(market));
    this.#executor.onMarketEvent(event);
    if (this.#runner.running) this.#enqueue(event);
    const now = clock.now();
    if (this.#equity.due(now)) this.#addEquity(now);
    if (this.#parts.risk.watchesLoss) this.#watchDailyLoss(now);
  }

  /** A new New York day: its splits and dividends are met before its first event trades, and the next month's are read. */
  #newDay(now: number): void {
    if (now < this.#actionsDayEndsAt || !this.#parts.corporateActions) return;
    const first = this.#actionsDayEndsAt === 0;
    this.#actionsDayEndsAt = newYorkWallTime(now, 1, 0);
    this.#meetActions(now);
    if (first) return;
    this.#actionsRead.clear();
    void this.#readActions(0);
  }

  /** Counts the day's loss; the input that reaches the daily loss limit halts opening trades for the day and stops the strategy. */
  #watchDailyLoss(now: number): void {
    const { risk, journal } = this.#parts;
    const before = risk.saved;
    const halted = risk.observe(now, this.#totalEquity());
    if (risk.saved !== before) journal?.risk(risk.saved);
    if (!halted) return;
    this.#enqueue(() => {
      const strategy = this.#runner.active?.name;
      this.#log('warn', `daily loss limit hit: ${halted}; orders that open positions are refused until tomorrow${strategy ? `, and strategy ${strategy} is stopped` : ''} (orders that close positions are still taken)`);
      this.#runner.stop('cleared');
    });
  }

  /** Why the account's risk limits refuse an order (a replaced one's new form), or undefined. */
  #riskCheck(request: ValidOrderRequest, reservePrice: Price, replacing?: Order): string | undefined {
    const { risk, ledger, clock } = this.#parts;
    if (risk.watchesLoss) this.#watchDailyLoss(clock.now());
    const { symbol } = request;
    if (ledger.shorts && risk.patternDayTrader) {
      const refused = patternDayTradeRefusal(this.#dayTrades, request, ledger.positionQty(symbol), this.#totalEquity(), clock.now());
      if (refused) return refused;
    }
    if (!risk.active) return undefined;
    // An order that holds buying power opens a position, valued at what it holds; one that holds nothing only closes one.
    const opening = reservePrice > 0n;
    return risk.check(
      { symbol, qty: request.qty, rest: request.qty - (replacing?.filledQty ?? 0n), price: reservePrice || undefined, opening, adds: 1 + (replacing ? 0 : legCountOf(request.orderClass)) },
      {
        openOrders: () => this.#executor.openOrders().length - (replacing ? 1 : 0),
        // In the order's direction: a long and its working buys, or a short and its working sells short.
        exposure: () => {
          const buy = request.side === 'buy';
          let qty = buy ? ledger.positionQty(symbol) : -ledger.positionQty(symbol);
          for (const order of this.#executor.workingOrders(symbol)) {
            if (order.side === request.side && order !== replacing && (buy || order.reservePrice > 0n)) qty += remainingQty(order);
          }
          return qty;
        },
      },
    );
  }

  /** A recovered account's fills, replayed into the day-trade count (positions followed from nothing). */
  #countDayTrades(fills: readonly Fill[]): void {
    if (!this.#parts.ledger.shorts) return;
    const held = new Map<string, bigint>();
    for (const fill of fills) {
      const before = held.get(fill.symbol) ?? 0n;
      this.#dayTrades.record(fill.symbol, fill.side, before, fill.qty, fill.time);
      held.set(fill.symbol, before + signedQty(fill));
    }
  }

  /** Takes an event's time and prices in. Time first, so day orders due before it expire before it can fill them. */
  #absorb(event: MarketEvent): SymbolMarket {
    const { manualClock } = this.#parts;
    if (manualClock && event.time > manualClock.now()) manualClock.advanceTo(event.time);
    return this.#cache.update(event);
  }

  // Listeners hear of orders and fills only once the executor is done with them, so a listener
  // that places or cancels an order cannot act on a half-made fill.
  #publish<K extends keyof EngineEvents>(name: K, payload: EngineEvents[K]): void {
    this.#enqueue(() => this.#bus.emit(name, payload));
  }

  #listenerFailed(event: string, error: unknown): void {
    const message = `a listener of "${event}" threw: ${messageOf(error)}`;
    if (event === 'error') return;
    this.#bus.emit('error', { time: this.#parts.clock.now(), level: 'error', message });
  }

  /** The executor's timers (day-order expiry) settle what they cause, as every other input does. */
  #settlingClock(clock: Clock): Clock {
    return {
      now: () => clock.now(),
      setTimer: (at, fn) => clock.setTimer(at, () => {
        if (!this.#notSaved && !this.#closed) this.#run(fn);
      }),
    };
  }

  #onMarketStatus(reported: MarketStatus): void {
    // The message may carry a server's words: the status line shows it, so it is made safe here.
    const status = reported.message === undefined ? reported : { ...reported, message: this.#shown(reported.message) };
    this.#market = status;
    this.#bus.emit('status', status);
    if (status.message) this.#log(status.state === 'failed' ? 'error' : 'info', status.message);
  }

  #onOrder(order: Order): void {
    this.#store?.order(order);
    if (order.status === 'rejected') this.#log('warn', `order ${order.id} (${order.side} ${order.symbol}) rejected: ${order.reason}`);
    // Building the view costs more than the rest of a fill: only when someone will read it.
    const strategyHears = this.#runner.handles('onOrder');
    if (!this.#bus.has('order') && !strategyHears) return;
    const view = orderView(order);
    if (this.#bus.has('order')) this.#publish('order', view);
    if (strategyHears) this.#enqueue(() => this.#runner.onOrder(view));
  }

  #onFill(fill: Fill): void {
    this.#store?.fill(fill);
    const { ledger } = this.#parts;
    const held = ledger.positionQty(fill.symbol);
    if (ledger.shorts) this.#dayTrades.record(fill.symbol, fill.side, held - signedQty(fill), fill.qty, fill.time);
    // A new stock position (long or short): its splits and dividends of the month ahead are read now, not tomorrow.
    if (this.#parts.corporateActions && held !== 0n && !this.#actionsRead.has(fill.symbol) && assetClassOf(fill.symbol) === 'stock') {
      void this.#readActions(0, fill.symbol);
    }
    if (ownerOf(fill.source) !== USER_OWNER) this.#strategyStateChanged = true;
    for (const alert of this.#alerts.fills(fill.symbol)) {
      this.#fireAlert(alert, fill.price, fill.time, `alert: ${fill.symbol} filled: ${fill.side} ${formatQty(fill.qty)} @ ${formatPrice(fill.price)} (${fill.orderId})`);
    }
    // Saved at once: a fill changes what is held, and the exposure counts from the point before it.
    this.#addEquity(fill.time, true);
    const strategyHears = this.#runner.handles('onFill');
    if (!this.#bus.has('fill') && !strategyHears) return;
    const view = fillView(fill);
    if (this.#bus.has('fill')) this.#publish('fill', view);
    if (strategyHears) this.#enqueue(() => this.#runner.onFill(view));
  }

  #enqueue(task: (() => void) | MarketEvent): void {
    if (!this.#notSaved) this.#queue.push(task);
  }

  /** Runs one input (an event, a command, a timer), then settles what it queued once the outermost input is done. */
  #run<T>(work: () => T): T {
    this.#depth++;
    try {
      return work();
    } finally {
      this.#finishInput();
    }
  }

  /** #run for a market event, without a closure made for it (a backtest delivers millions). */
  #runEvent(event: MarketEvent): void {
    this.#depth++;
    try {
      this.#onMarketEvent(event);
    } finally {
      this.#finishInput();
    }
  }

  #finishInput(): void {
    this.#depth--;
    // Saved before the caller or any listener hears of it (a group commit saves and settles a moment later).
    if (this.#depth === 0 && !this.#groupCommit) {
      this.#commit();
      this.#settle();
    }
  }

  /** Runs queued notifications in order until none are pending (strategies may queue more). */
  #settle(): void {
    if (this.#settling || this.#depth > 0) return;
    this.#settling = true;
    this.#strategyOrders = 0;
    try {
      for (let steps = 0; this.#queueHead < this.#queue.length; steps++) {
        if (steps === MAX_SETTLE_STEPS) {
          this.#log('error', 'the strategy kept reacting to its own orders without end; it was stopped');
          this.#queue.length = this.#queueHead = 0;
          this.#runner.stop('cleared');
          break;
        }
        this.#commit();
        if (this.#notSaved) break;
        const next = this.#queue[this.#queueHead++]!;
        if (typeof next === 'function') next();
        else this.#runner.onMarketEvent(next);
      }
      this.#commit();
    } finally {
      this.#queue.length = 0;
      this.#queueHead = 0;
      this.#settling = false;
    }
  }

  /** Writes what the last input changed, durably; on failure trading stops and nothing more is acknowledged. */
  #commit(everything = false): void {
    const { journal, scratch, clock, provider } = this.#parts;
    if (this.#notSaved || this.#closed) return;
    if (!journal) {
      // A backtest's history goes to its scratch store in batches, and leaves memory.
      if (scratch && !this.#scratchFailed && this.#executor.inMemory > Math.max(SAVE_HISTORY_AT, this.#parts.historyInMemory ?? SCRATCH_HISTORY_AT)) this.#saveScratch(scratch);
      return;
    }
    if (this.#strategyStateChanged) {
      this.#strategyStateChanged = false;
      try {
        journal.strategyState(this.#runner.save());
      } catch (error) {
        this.#log('warn', `strategy state not saved: ${messageOf(error)}`);
      }
    }
    if (!(everything ? journal.staged : journal.pending)) return;
    try {
      journal.commit(this.#books(this.#marketPosition(), provider.stepper?.session ?? null), clock.now());
    } catch (error) {
      this.#stopUnsaved(messageOf(error));
      return;
    }
    if (this.#executor.inMemory > SAVE_HISTORY_AT) this.#executor.forget(HISTORY_IN_MEMORY);
  }

  /** The books as a journal saves them beside what changed. */
  #books(marketPosition: number, marketSession: string | null): BooksCheckpoint {
    const { ledger } = this.#parts;
    return { cash: ledger.cash, realizedPnl: ledger.realizedPnl, feesPaid: ledger.feesPaid, positions: ledger.positions, marketPosition, marketSession };
  }

  #saveScratch(scratch: Journal): void {
    try {
      scratch.commit(this.#books(0, null), this.#parts.clock.now());
      this.#executor.forget(HISTORY_IN_MEMORY);
    } catch (error) {
      // The run goes on with its history in memory: only its memory grows.
      this.#scratchFailed = true;
      this.#log('warn', `the run's history stays in memory: ${messageOf(error)}`);
    }
  }

  /** Where a replay stands; before a resumed one has fast-forwarded, where the saved run left it. */
  #marketPosition(): number {
    const position = this.#parts.provider.stepper?.position ?? 0;
    return this.#resumed ? position : Math.max(position, this.#savedPosition());
  }

  /** The replay position the account saved, if it belongs to this very replay. */
  #savedPosition(): number {
    const saved = this.#parts.recovered?.checkpoint;
    const session = this.#parts.provider.stepper?.session;
    // An account saved before sessions were recorded (null) is trusted to be on this replay.
    return saved && session !== undefined && (saved.marketSession === null || saved.marketSession === session) ? saved.marketPosition : 0;
  }

  #stopUnsaved(message: string): void {
    this.#notSaved = message;
    this.#status = 'stopped';
    this.#runner.halt();
    this.#executor.cancelTimers();
    // What this input caused was not saved: nobody may hear of it (#enqueue takes nothing more).
    this.#queue.length = 0;
    this.#queueHead = 0;
    this.#bus.emit('error', { time: this.#parts.clock.now(), level: 'error', message: `${message}; trading stopped` });
    void this.#parts.provider.stop().catch(() => undefined);
  }

  #cancelWhere(match: (order: Order) => boolean, reason: string): number {
    let count = 0;
    for (const order of this.#executor.workingOrders()) {
      if (match(order) && this.#executor.cancel(order.id, reason).ok) count++;
    }
    return count;
  }

  #totalEquity(): bigint {
    return valuePortfolio(this.#parts.ledger, this.#cache.markOf).totalEquity;
  }

  #log(level: EngineLogEntry['level'], message: string): void {
    const entry = { time: this.#parts.clock.now(), level, message: this.#shown(message) };
    this.#publish(level === 'error' ? 'error' : 'log', entry);
  }

  /** Text as it may be shown: its controls escaped (printable.ts), and no secret of the engine's in it, in any case. */
  #shown(text: string): string {
    let out = escapeControls(text);
    for (const secret of this.#parts.secrets ?? []) out = redactKey(out, secret);
    return out;
  }

  #strategyContext(name: string): StrategyContext {
    const { clock, ledger, brokerage } = this.#parts;
    const source = strategySource(name);
    const symbols = (): readonly string[] => this.symbols;
    return {
      strategyName: name,
      get symbols() {
        return symbols();
      },
      now: () => clock.now(),
      quote: (symbol) => this.#cache.get(symbol)?.quote,
      price: (symbol) => this.#cache.markOf(symbol),
      position: (symbol) => this.#executor.attribution.held(symbol, source),
      cash: () => ledger.cash,
      buyingPower: () => this.#executor.buyingPower(),
      equity: () => this.#totalEquity(),
      qtyForCash: (symbol, cents, price) => {
        const lot = brokerageFor(brokerage, symbol).lotSize({ type: 'market', timeInForce: 'gtc' });
        return formatQty(affordableQty(cents, price, lot));
      },
      placeOrder: (request) => orderView(this.#strategyOrder(name, request)),
      cancelOrder: (id) => {
        const order = this.#executor.order(String(id));
        // A strategy manages its own orders, never the trader's.
        return order?.source === source && this.#executor.cancel(order.id, `canceled by strategy ${name}`).ok;
      },
      replaceOrder: (id, changes) => {
        const order = this.#executor.order(String(id));
        if (order?.source !== source) return { ok: false, error: `no order of strategy ${name} has the id "${String(id)}"` };
        const result = this.#executor.replace(order.id, changes);
        return result.ok ? { ok: true, order: orderView(result.order) } : result;
      },
      openOrders: (symbol) =>
        this.#executor.workingOrders(symbol).filter((order) => order.source === source).map(orderView),
      log: (message) => this.#log('info', `${name}: ${message}`),
    };
  }

  /** A strategy's order: refused once it stopped, and a runaway strategy is stopped. */
  #strategyOrder(name: string, request: OrderRequest): Order {
    const source = strategySource(name);
    if (this.#notSaved) return this.#executor.reject(request, source, `${this.#notSaved}; trading stopped`);
    if (this.#runner.runningName !== name) return this.#executor.reject(request, source, `strategy ${name} is no longer running`);
    if (this.#runner.warmingUp) return this.#executor.reject(request, source, `strategy ${name} may not trade while it warms up on history`);
    if (++this.#strategyOrders > MAX_STRATEGY_ORDERS_PER_INPUT) {
      const reason = `strategy ${name} placed more than ${MAX_STRATEGY_ORDERS_PER_INPUT} orders for one market event; it was stopped`;
      this.#log('error', reason);
      this.#runner.stop('cleared');
      return this.#executor.reject(request, source, reason);
    }
    return this.#submit(request, source);
  }

  /** Submits to the executor; an order that waits for its market to open says so, once, in the log. */
  #submit(request: OrderRequest, source: string): Order {
    const order = this.#executor.submit(request, source);
    if (isWorking(order) && !this.#executor.mayTrade(order)) {
      const assetClass = assetClassOf(order.symbol);
      const opens = describeOpen(this.#hours.nextOpen(assetClass, this.#parts.clock.now()));
      this.#log('info', `the ${assetClass} market is closed: order ${order.id} (${order.side} ${order.symbol}) waits for the open (${opens})`);
    }
    return order;
  }

  #replayControl(stepper: MarketStepper | undefined): ReplayControl {
    const require = (): MarketStepper => {
      if (!stepper) throw new EngineInputError('this market runs live; engine.replay steps only a replayed or manually clocked market');
      if (this.#status !== 'running') throw new EngineInputError('call engine.start() before stepping the replay');
      return stepper;
    };
    return {
      step: async (n = 1) => {
        const source = require();
        // One more than stepped, so the next event's time is known for a paced replay.
        await source.prefetch?.(n + 1);
        return source.step(n);
      },
      runToEnd: async () => {
        const source = require();
        let delivered = 0;
        while (!source.done && this.#status === 'running') {
          await source.prefetch?.(CHUNK + 1);
          if (this.#status !== 'running') break;
          delivered += source.step(CHUNK);
          // Let timers, I/O and a UI run between chunks.
          await new Promise((resolve) => setImmediate(resolve));
        }
        return delivered;
      },
      get done() {
        return stepper?.done ?? false;
      },
      get position() {
        return stepper?.position ?? 0;
      },
      get total() {
        return stepper?.total;
      },
      get nextTime() {
        return stepper?.nextTime;
      },
    };
  }
}

/** A whole history, read item by item (a full snapshot; screens and pages ask for less). */
function everything<T>(items: HistoryItems<T>): T[] {
  const all: T[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items.at(i);
    if (item !== undefined) all.push(item);
  }
  return all;
}

function sample<T>(points: readonly T[], wanted: number | undefined): readonly T[] {
  if (wanted === undefined || points.length <= wanted) return points;
  const step = points.length / wanted;
  const sampled = Array.from({ length: wanted - 1 }, (_, i) => points[Math.floor(i * step)]!);
  sampled.push(points[points.length - 1]!);
  return sampled;
}

/** A fill's change to its position: + for a buy, − for a sell. */
const signedQty = (fill: Fill): bigint => (fill.side === 'buy' ? fill.qty : -fill.qty);
