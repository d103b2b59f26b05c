import type { Clock, Timer } from '../clock/clock.ts';
import { ReportedMarketHours } from './market-hours.ts';
import { PolygonError, PolygonRest } from './polygon-rest.ts';
import type { AnnouncedActions, CorporateActionSource } from '../portfolio/corporate-actions.ts';
import { PolygonPoller } from './polygon-poller.ts';
import { checkPolygonSymbol } from './polygon-symbols.ts';
import { AUTH_FAILED_MESSAGE, clusterOf, DELAYED_FEED_MS, groupByCluster, PolygonStream, type PolygonCluster } from './polygon-stream.ts';
import { assetClassOf } from './symbols.ts';
import type { Bar, TickerMatch, MarketDataProvider, MarketEvent, MarketSink, MarketStatus } from './types.ts';
import { messageOf } from '../errors.ts';

// Live market data from Polygon.io: one WebSocket stream per cluster that has symbols, the last
// NBBO quote of each stock from REST at start (so the watchlist is not empty until the first
// tick), the minute bars a dropped connection missed back-filled from REST, market hours from
// Polygon's market status, and minute-bar history for strategies to warm up on.

export interface PolygonMarketOptions {
  apiKey: string;
  /** e.g. https://api.polygon.io */
  restUrl: string;
  /** e.g. wss://socket.polygon.io */
  wsUrl: string;
  /** e.g. wss://delayed.polygon.io: where stocks stream when the plan lacks real-time data. */
  delayedWsUrl?: string;
  /** Canonical symbols: AAPL, X:BTCUSD, C:EURUSD. */
  symbols: readonly string[];
  clock: Clock;
  /** How often market status (open, closed, holidays) is read. Default one minute. */
  statusPollMs?: number;
  /** Each streamed event as Polygon sent it (before conversion), e.g. to record a session for --replay. */
  onRaw?(raw: unknown): void;
  /** Events of a frame handled per turn of the event loop (PolygonStream's default; the benchmark's baseline sets it). */
  eventsPerTurn?: number;
  /** On a plan without a WebSocket, the time between two REST price requests. Default 15 s (the free plan allows 5 a minute). */
  pollSpacingMs?: number;
  /** How long start waits for REST (last quotes, market status) before going on without them. Default 3 s. */
  startWaitMs?: number;
  /** How long live minute bars may wait for a back-fill after a reconnect. Default 5 s. */
  backfillHoldMs?: number;
  /** A REST attempt without an answer after this long fails. Default 10 s. */
  restTimeoutMs?: number;
  /** The plan's REST rate (requests a minute). Default: unlimited, 5 once the plan shows it has no WebSocket (the free plans), or what a 429 shows. */
  requestsPerMinute?: number;
}

const HOLIDAYS_EVERY_MS = 6 * 3_600_000;
/** On a plan without a WebSocket, one REST price request this often: the free plan allows 5 a minute. */
const POLL_SPACING_MS = 15_000;

/** Polygon's free plans: 5 REST requests a minute (docs/polygon-plans.md §1). */
const FREE_PLAN_REQUESTS_PER_MINUTE = 5;

/** Polygon's answer on a cluster the plan has no stream for at all (the free plans; docs/polygon-plans.md §3). */
const NO_WEBSOCKET = /websocket access/i;

const CLUSTER_ORDER: readonly PolygonCluster[] = ['stocks', 'crypto', 'forex'];
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Enough calendar to find `count` stock minute bars across a weekend and a holiday. */
const HISTORY_LOOKBACK_MS = 5 * DAY_MS;

export class PolygonMarket implements MarketDataProvider, CorporateActionSource {
  readonly source = 'polygon';
  readonly hours = new ReportedMarketHours();
  readonly #options: PolygonMarketOptions;
  readonly #rest: PolygonRest;
  readonly #streams = new Map<PolygonCluster, PolygonStream>();
  readonly #states = new Map<PolygonCluster, MarketStatus>();
  /** Start of the newest minute bar delivered per symbol: a bar at or before it is a duplicate. */
  readonly #lastBarStart = new Map<string, number>();
  /** Live bars held back while a symbol's missed bars are fetched, so bars stay in order. */
  readonly #heldBars = new Map<string, Bar[]>();
  /** When each cluster lost its connection (cleared once back-filled). */
  readonly #disconnectedAt = new Map<PolygonCluster, number>();
  readonly #wasLive = new Set<PolygonCluster>();
  /** Clusters with a back-fill running, and the earliest disconnect a further one must cover. */
  readonly #backfilling = new Set<PolygonCluster>();
  readonly #backfillAgain = new Map<PolygonCluster, number>();
  /** Problems already told (a rate limit, a plan limit): each is said once, not per request. */
  readonly #told = new Set<string>();
  /** Clusters the plan has no data for, and why: their symbols get no prices, the rest goes on. */
  readonly #off = new Map<PolygonCluster, string>();
  /** Clusters read by polling REST, the plan having no WebSocket for them. */
  readonly #polled = new Set<PolygonCluster>();
  readonly #poller: PolygonPoller;
  #statusTimer: Timer | undefined;
  /** Problems found before the first start (checking the symbols), said once it starts. */
  readonly #beforeStart: string[] = [];
  /** Bumped by start and stop, so a status poll from an earlier run schedules nothing. */
  #generation = 0;
  #sink: MarketSink | undefined;
  #running = false;
  #state: MarketStatus['state'] = 'connecting';

  constructor(options: PolygonMarketOptions) {
    this.#options = options;
    this.#rest = new PolygonRest({
      apiKey: options.apiKey,
      baseUrl: options.restUrl,
      maxAttempts: 4,
      retryBaseMs: 500,
      ...(options.restTimeoutMs === undefined ? {} : { timeoutMs: options.restTimeoutMs }),
      ...(options.requestsPerMinute === undefined ? {} : { requestsPerMinute: options.requestsPerMinute }),
      onRequest: (request) => this.#sink?.traffic?.({ kind: 'request', ...request }),
      onWait: (ms, what) =>
        this.#tellOnce('budget-wait', `Polygon's plan allows ${this.#rest.budget.perMinute} REST requests a minute: ${what} waits ${Math.ceil(ms / 1000)} s for its turn (said once; requests keep to the rate)`),
      onRetry: (notice) => this.#tellOnce(notice.kind, `${notice.message} (said once; requests keep backing off)`),
    });
    this.#poller = new PolygonPoller({
      rest: this.#rest,
      clock: options.clock,
      spacingMs: options.pollSpacingMs ?? POLL_SPACING_MS,
      deliver: (trade) => this.#deliver(trade),
      previousClose: (symbol, price) => this.#sink?.previousClose?.(symbol, price),
      problem: (symbol, message) => this.#tellOnce(`poll ${symbol}`, `no price for ${symbol} from Polygon: ${message}`),
    });
    this.subscribe(options.symbols);
  }

  /** How long start (and the symbol check before it) waits for REST. */
  get #startWaitMs(): number {
    return this.#options.startWaitMs ?? 3_000;
  }

  async start(sink: MarketSink): Promise<void> {
    if (this.#running) return;
    this.#sink = sink;
    this.#running = true;
    this.#generation++;
    this.#state = 'connecting';
    this.#report({ source: 'polygon', state: 'connecting', message: 'connecting to Polygon' });
    for (const message of this.#beforeStart.splice(0)) this.#problem(message);
    for (const cluster of CLUSTER_ORDER) this.#streams.get(cluster)?.start();
    const symbols = [...this.#streams.values()].flatMap((stream) => stream.subscriptions);
    // Start with what REST gives in a moment; what it has not given yet fills in when it answers.
    const waitMs = this.#startWaitMs;
    void this.#readHolidays(this.#generation);
    const answered = await Promise.race([Promise.all([this.#seed(symbols), this.#pollMarketStatus()]).then(() => true), this.#after(waitMs).then(() => false)]);
    if (!answered && this.#running) {
      this.#problem(
        `Polygon REST has not answered within ${Math.round(waitMs / 1000)} s: starting without the snapshots (last prices, previous closes) and market status (market hours follow the exchange calendar meanwhile); they fill in when it answers`,
      );
    }
  }

  #after(ms: number): Promise<void> {
    const { clock } = this.#options;
    return new Promise((resolve) => clock.setTimer(clock.now() + ms, resolve));
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#generation++;
    this.#statusTimer?.cancel();
    this.#statusTimer = undefined;
    for (const stream of this.#streams.values()) stream.stop();
    this.#poller.stop();
    this.#rest.cancelWaits();
    this.#states.clear();
    this.#off.clear();
    this.#polled.clear();
    // A new start is a fresh session: no back-fill owed from this one.
    this.#heldBars.clear();
    this.#disconnectedAt.clear();
    this.#wasLive.clear();
    this.#backfillAgain.clear();
    const sink = this.#sink;
    this.#sink = undefined;
    this.#state = 'stopped';
    sink?.status({ source: 'polygon', state: 'stopped' });
  }

  subscribe(symbols: readonly string[]): void {
    const byCluster = groupByCluster(symbols);
    for (const [cluster, list] of byCluster) {
      let stream = this.#streams.get(cluster);
      if (!stream) {
        stream = this.#createStream(cluster);
        this.#streams.set(cluster, stream);
        if (this.#running) stream.start();
      }
      const fresh = list.filter((symbol) => !stream.subscriptions.includes(symbol));
      stream.subscribe(list);
      if (this.#polled.has(cluster)) this.#poller.add(list);
      if (this.#running && fresh.length > 0) void this.#seed(fresh);
    }
  }

  unsubscribe(symbols: readonly string[]): void {
    for (const [cluster, list] of groupByCluster(symbols)) this.#streams.get(cluster)?.unsubscribe(list);
    this.#poller.remove(symbols);
  }

  /** The clusters that stream (not polled from REST for a plan without a WebSocket, nor off for a plan without them). */
  get streamingClusters(): PolygonCluster[] {
    return [...this.#streams.keys()].filter((cluster) => !this.#polled.has(cluster) && !this.#off.has(cluster));
  }

  checkSymbol(typed: string, symbol: string): ReturnType<typeof checkPolygonSymbol> {
    return checkPolygonSymbol(this.#rest, typed, symbol);
  }

  /**
   * One line naming the symbols Polygon does not know, or undefined: all known, or not all checked
   * within the start-up wait (REST down or slow), which the log then says.
   */
  async unknownSymbols(symbols: readonly string[]): Promise<string | undefined> {
    const waitMs = this.#startWaitMs;
    const verdicts = await Promise.race([Promise.all(symbols.map((symbol) => this.checkSymbol(symbol, symbol))), this.#after(waitMs).then(() => undefined)]);
    if (verdicts === undefined || verdicts.includes(undefined)) {
      this.#problem("could not check the symbols against Polygon's reference tickers (REST did not answer in time): they are used as given");
      return undefined;
    }
    const refused = verdicts.flatMap((verdict) => (verdict && !verdict.ok ? [verdict.error] : []));
    return refused.length > 0 ? refused.join('; ') : undefined;
  }

  /** The last `count` completed minute bars of `symbol`, oldest first. */
  /** The splits and dividends Polygon's reference data announces for these stocks (two requests each, in the plan's budget). */
  async actions(symbols: readonly string[], from: string, to: string): Promise<AnnouncedActions> {
    const announced: AnnouncedActions = { splits: [], dividends: [] };
    for (const symbol of symbols) {
      announced.splits.push(...(await this.#rest.splits(symbol, from, to)));
      announced.dividends.push(...(await this.#rest.dividends(symbol, from, to)));
    }
    return announced;
  }

  async history(symbol: string, count: number): Promise<Bar[]> {
    const now = this.#options.clock.now();
    // Crypto trades every minute; stocks and forex need the calendar back to the last session.
    const lookback = assetClassOf(symbol) === 'crypto' ? (count + 2) * MINUTE_MS : HISTORY_LOOKBACK_MS;
    const bars = await this.#rest.bars(symbol, { multiplier: 1, timespan: 'minute', from: now - lookback, to: now, limit: 50_000 });
    return bars.filter((bar) => bar.end <= now).slice(-count);
  }

  async searchSymbols(text: string, limit: number): Promise<TickerMatch[]> {
    return this.#rest.findTickers(text, limit);
  }

  async candles(symbol: string, minutes: number, from: number, to: number): Promise<Bar[]> {
    return this.#rest.bars(symbol, { multiplier: minutes, timespan: 'minute', from, to, limit: 50_000 });
  }

  #createStream(cluster: PolygonCluster): PolygonStream {
    const { delayedWsUrl } = this.#options;
    return new PolygonStream({
      apiKey: this.#options.apiKey,
      baseUrl: this.#options.wsUrl,
      ...(delayedWsUrl === undefined ? {} : { delayedUrl: delayedWsUrl }),
      cluster,
      clock: this.#options.clock,
      onEvent: (event) => this.#onStreamEvent(event),
      onStatus: (status) => this.#onStreamStatus(cluster, status),
      onProblem: (message) => this.#problem(message),
      onAuthFailed: (message) => void this.#onAuthFailed(cluster, message),
      onDebug: (message) => this.#sink?.traffic?.({ kind: 'debug', message }),
      ...(this.#options.onRaw ? { onRaw: this.#options.onRaw } : {}),
      ...(this.#options.eventsPerTurn ? { eventsPerTurn: this.#options.eventsPerTurn } : {}),
    });
  }

  /**
   * Polygon refused a cluster's stream. Its words and a REST call tell why: the free plans have no
   * WebSocket (poll REST instead); a key REST accepts is not wrong, so the plan lacks this feed
   * (stocks move to the delayed host, crypto and forex go off); a key REST refuses is wrong.
   */
  async #onAuthFailed(cluster: PolygonCluster, message: string): Promise<void> {
    const stream = this.#streams.get(cluster);
    if (!this.#running || !stream) return;
    const noWebSocket = NO_WEBSOCKET.test(message);
    const keyWorks = noWebSocket || (await this.#keyWorks());
    if (!this.#running) return;
    if (keyWorks === false) {
      this.#setState(cluster, { source: 'polygon', state: 'failed', message: AUTH_FAILED_MESSAGE });
      return;
    }
    if (keyWorks !== true) {
      this.#setState(cluster, {
        source: 'polygon',
        state: 'failed',
        message: `Polygon refused the ${cluster} stream (authentication failed), and its REST API cannot be reached to tell a wrong key from a plan limit (${keyWorks}): check the key and the network, then restart`,
      });
      return;
    }
    if (!noWebSocket && stream.canDelay) {
      this.#problem("Your Polygon plan has no real-time stocks (the key works for REST; the real-time stream refused it): streaming Polygon's 15-minute delayed feed instead, trades and minute bars, no quotes");
      stream.moveToDelayed();
      return;
    }
    if (noWebSocket || cluster === 'stocks') {
      // The free plans' rate, unless set by hand; a rate learned from a 429 (which counts only this process's requests) is no higher.
      if (noWebSocket && this.#options.requestsPerMinute === undefined) {
        this.#rest.budget.perMinute = Math.min(this.#rest.budget.perMinute ?? FREE_PLAN_REQUESTS_PER_MINUTE, FREE_PLAN_REQUESTS_PER_MINUTE);
      }
      this.#polled.add(cluster);
      this.#poller.add(stream.subscriptions);
      this.#poller.start();
      const every = Math.round(this.#poller.roundMs / 1000);
      this.#problem(`Your Polygon plan has no ${cluster} WebSocket (Polygon: "${message}"): reading each symbol's last close from REST instead, one request every ${Math.round(this.#poller.spacingMs / 1000)} s within the plan's rate; prices are end-of-day, refreshed every ${every} s`);
      this.#setState(cluster, { source: 'polygon', state: 'delayed', message: 'end-of-day prices, polled' });
      return;
    }
    const why = `Your Polygon key has no ${cluster} plan (Polygon refused the ${cluster} stream, but the key works for REST): ${cluster} symbols get no prices; the rest keeps streaming`;
    this.#off.set(cluster, why);
    this.#problem(why);
    this.#setState(cluster, undefined);
  }

  /** true: REST accepts the key; false: REST rejects it (401); otherwise what went wrong. */
  async #keyWorks(): Promise<boolean | string> {
    try {
      await this.#rest.marketStatus();
      return true;
    } catch (error) {
      if (error instanceof PolygonError && error.kind === 'auth') return false;
      // A plan or rate limit still means the key itself was accepted.
      if (error instanceof PolygonError && (error.kind === 'plan' || error.kind === 'rate_limited')) return true;
      return messageOf(error);
    }
  }

  #onStreamEvent(event: MarketEvent): void {
    if (event.kind === 'bar') {
      const held = this.#heldBars.get(event.symbol);
      if (held) {
        held.push(event);
        return;
      }
      if (!this.#isNewBar(event)) return;
    }
    this.#deliver(event);
  }

  #deliver(event: MarketEvent): void {
    if (this.#running) this.#sink?.event(event);
  }

  /** True (and remembered) when `bar` is newer than every bar delivered for its symbol. */
  #isNewBar(bar: Bar): boolean {
    const last = this.#lastBarStart.get(bar.symbol);
    if (last !== undefined && bar.start <= last) return false;
    this.#lastBarStart.set(bar.symbol, bar.start);
    return true;
  }

  /**
   * Seeds each symbol from its snapshot: the last trade and quote where the plan shows them, and
   * the previous close for the day's change. A plan without snapshots (the free one) gets the
   * previous close from the poller, which reads that day bar anyway: not asked for twice within
   * its 5 requests a minute. A symbol that fails is reported once and skipped.
   */
  async #seed(symbols: readonly string[]): Promise<void> {
    await Promise.all(symbols.map((symbol) => this.#seedOne(symbol)));
  }

  async #seedOne(symbol: string): Promise<void> {
    try {
      const snapshot = await this.#rest.snapshot(symbol);
      if (snapshot.previousClose !== undefined && this.#running) this.#sink?.previousClose?.(symbol, snapshot.previousClose);
      // A delayed plan's snapshot is as late as its stream, and judged the same way.
      const delay = snapshot.delayed ? { delayMs: DELAYED_FEED_MS } : {};
      if (snapshot.quote) this.#deliver({ ...snapshot.quote, ...delay });
      if (snapshot.trade) this.#deliver({ ...snapshot.trade, ...delay });
      return;
    } catch (error) {
      // A bad key is reported by the stream (auth failed); a plan limit once for all symbols.
      if (error instanceof PolygonError && error.kind === 'auth') return;
      // A known ticker (they are checked at start) with no snapshot has had no trading to show: nothing to say.
      if (error instanceof PolygonError && error.kind === 'not_found') return;
      if (!(error instanceof PolygonError && error.kind === 'plan')) {
        this.#problem(`no snapshot of ${symbol} from Polygon: ${messageOf(error)}`);
        return;
      }
      this.#tellOnce(`seed-plan ${clusterOf(symbol)}`, `${clusterOf(symbol)}: ${error.message}: prices appear with the first streamed quote, trade or bar`);
    }
  }

  /** Reads the holidays and early closes ahead now and every six hours (they change rarely; a failure is said once and retried then). */
  async #readHolidays(generation: number): Promise<void> {
    const { clock } = this.#options;
    try {
      this.hours.holidays.set(await this.#rest.upcomingHolidays());
    } catch (error) {
      if (!(error instanceof PolygonError && error.kind === 'auth')) {
        this.#tellOnce('holidays', `no holiday calendar from Polygon (${messageOf(error)}): orders follow the regular exchange hours`);
      }
    }
    if (!this.#running || generation !== this.#generation) return;
    clock.setTimer(clock.now() + HOLIDAYS_EVERY_MS, () => {
      if (this.#running && generation === this.#generation) void this.#readHolidays(generation);
    });
  }

  /** Reads market status now and then every statusPollMs, so orders of a closed market wait for the open. */
  async #pollMarketStatus(): Promise<void> {
    const { clock } = this.#options;
    const generation = this.#generation;
    const every = this.#options.statusPollMs ?? MINUTE_MS;
    try {
      const status = await this.#rest.marketStatus();
      const open: { stock: boolean; crypto?: boolean; forex?: boolean } = { stock: status.market === 'open' };
      if (status.crypto !== undefined) open.crypto = status.crypto;
      if (status.fx !== undefined) open.forex = status.fx;
      // Three missed polls and the calendar takes over again.
      this.hours.update(clock.now(), open, 3 * every);
      this.#told.delete('market-status');
    } catch (error) {
      if (!(error instanceof PolygonError && error.kind === 'auth')) {
        this.#tellOnce('market-status', `no market status from Polygon (${messageOf(error)}): market hours follow the exchange calendar`);
      }
    }
    if (!this.#running || generation !== this.#generation) return;
    this.#statusTimer = clock.setTimer(clock.now() + every, () => {
      this.#statusTimer = undefined;
      if (this.#running && generation === this.#generation) void this.#pollMarketStatus();
    });
  }

  #onStreamStatus(cluster: PolygonCluster, status: MarketStatus): void {
    if (!this.#running || status.state === 'stopped') return;
    this.#setState(cluster, status);
  }

  /** Records a cluster's state (undefined: it is off) and reports the state of all of them. */
  #setState(cluster: PolygonCluster, status: MarketStatus | undefined): void {
    if (!status) {
      this.#states.delete(cluster);
      status = { source: 'polygon', state: this.#state };
    } else {
      this.#states.set(cluster, status);
    }
    if (status.state === 'reconnecting' && !this.#disconnectedAt.has(cluster) && this.#wasLive.has(cluster)) {
      this.#disconnectedAt.set(cluster, this.#options.clock.now());
    }
    if (status.state === 'live' || status.state === 'delayed') {
      const since = this.#disconnectedAt.get(cluster);
      this.#wasLive.add(cluster);
      this.#disconnectedAt.delete(cluster);
      if (since !== undefined) void this.#backfill(cluster, since);
    }
    const states = [...this.#streams.keys()].filter((c) => !this.#off.has(c)).map((c) => this.#states.get(c)?.state ?? 'connecting');
    let state: MarketStatus['state'];
    if (states.length === 0) state = 'failed';
    else if (states.includes('failed')) state = 'failed';
    else if (states.includes('reconnecting')) state = 'reconnecting';
    else if (states.every((s) => s === 'live')) state = 'live';
    else if (states.every((s) => s === 'live' || s === 'delayed')) state = 'delayed';
    else state = 'connecting';
    // Once failed, a later "live" of another cluster must not hide the failure.
    if (state === 'failed' && status.state !== 'failed') {
      const failed = [...this.#states.values()].find((s) => s.state === 'failed');
      this.#state = 'failed';
      this.#report({ source: 'polygon', state: 'failed', message: failed?.message ?? status.message ?? [...this.#off.values()].join('; ') });
      return;
    }
    this.#state = state;
    let message = status.message;
    const on = [...this.#streams.keys()].filter((c) => !this.#off.has(c));
    if (state === 'live') message = `connected to Polygon ${on.join(', ')}`;
    else if (state === 'delayed') message = on.map((c) => `${c} ${this.#states.get(c)?.state === 'live' ? 'live' : (this.#states.get(c)?.message ?? 'delayed')}`).join('; ');
    this.#report(message === undefined ? { source: 'polygon', state } : { source: 'polygon', state, message });
  }

  /**
   * After a reconnect: the minute bars each symbol missed come from REST, then the live bars
   * that arrived meanwhile, each bar once and in order; stocks also get their last quote again.
   * A drop while this runs makes it fetch again before the held live bars go out, so a second
   * gap is filled too.
   */
  async #backfill(cluster: PolygonCluster, since: number): Promise<void> {
    const stream = this.#streams.get(cluster);
    if (!stream) return;
    if (this.#backfilling.has(cluster)) {
      this.#backfillAgain.set(cluster, Math.min(since, this.#backfillAgain.get(cluster) ?? since));
      return;
    }
    this.#backfilling.add(cluster);
    let missed = 0;
    try {
      for (let from: number | undefined = since; from !== undefined; from = this.#takeBackfillAgain(cluster)) {
        const symbols = stream.subscriptions;
        for (const symbol of symbols) if (!this.#heldBars.has(symbol)) this.#heldBars.set(symbol, []);
        // Live bars never wait long on REST: after the bound they go out, and bars REST brings later than them are dropped as old.
        const holdMs = this.#options.backfillHoldMs ?? 5_000;
        const { clock } = this.#options;
        const bound = clock.setTimer(clock.now() + holdMs, () => {
          this.#tellOnce('backfill-slow', `Polygon REST is slow to send the minute bars missed while disconnected: live bars go on after ${Math.round(holdMs / 1000)} s without waiting; a missed bar that comes later than them is dropped`);
          this.#releaseHeld(cluster);
        });
        const counts = await Promise.all(symbols.map((symbol) => this.#deliverMissedBars(symbol, from!)));
        bound.cancel();
        missed += counts.reduce((sum, n) => sum + n, 0);
        if (!this.#running) return;
      }
      this.#releaseHeld(cluster);
    } finally {
      this.#backfilling.delete(cluster);
    }
    await this.#seed(stream.subscriptions);
    if (missed > 0) this.#problem(`back-filled ${missed} missed minute bar${missed === 1 ? '' : 's'} of ${cluster} from Polygon after the reconnect`);
  }

  /** Delivers the live bars held for the cluster's symbols during a back-fill, and holds no more. */
  #releaseHeld(cluster: PolygonCluster): void {
    for (const [symbol, held] of this.#heldBars) {
      if (clusterOf(symbol) !== cluster) continue;
      this.#heldBars.delete(symbol);
      for (const bar of held) if (this.#isNewBar(bar)) this.#deliver(bar);
    }
  }

  #takeBackfillAgain(cluster: PolygonCluster): number | undefined {
    const since = this.#backfillAgain.get(cluster);
    this.#backfillAgain.delete(cluster);
    return since;
  }

  /** Fetches and delivers the completed minute bars of `symbol` after the last one delivered (or since the drop). */
  async #deliverMissedBars(symbol: string, since: number): Promise<number> {
    const now = this.#options.clock.now();
    const last = this.#lastBarStart.get(symbol);
    const from = last === undefined ? Math.floor(since / MINUTE_MS) * MINUTE_MS - MINUTE_MS : last + MINUTE_MS;
    let missed: Bar[] = [];
    try {
      const bars = await this.#rest.bars(symbol, { multiplier: 1, timespan: 'minute', from, to: now, limit: 50_000 });
      missed = bars.filter((bar) => bar.end <= now);
    } catch (error) {
      this.#problem(`could not back-fill the minute bars ${symbol} missed while disconnected: ${messageOf(error)}`);
    }
    let delivered = 0;
    for (const bar of missed) {
      if (!this.#isNewBar(bar)) continue;
      this.#deliver(bar);
      delivered++;
    }
    return delivered;
  }

  #tellOnce(key: string, message: string): void {
    if (this.#told.has(key)) return;
    this.#told.add(key);
    this.#problem(message);
  }

  /** Logged without touching the state shown, so a rejected key stays on screen whatever follows. */
  #problem(message: string): void {
    // Before start (checking the symbols) there is no one to tell yet: said once it starts.
    if (!this.#running) {
      if (this.#sink === undefined && this.#generation === 0) this.#beforeStart.push(message);
      return;
    }
    if (this.#sink?.notice) this.#sink.notice(message);
    else this.#report({ source: 'polygon', state: this.#state, message });
  }

  #report(status: MarketStatus): void {
    try {
      this.#sink?.status(status);
    } catch {
      // a listener's failure must not break the market
    }
  }
}

