import type { Clock, Timer } from '../clock/clock.ts';
import { PRICE_SCALE } from '../money.ts';
import type { Price } from '../money.ts';
import { assetClassOf } from './symbols.ts';
import type {
  AssetClass,
  Bar,
  MarketDataProvider,
  MarketEvent,
  MarketSink,
  MarketStepper,
  Quote,
  Trade,
} from './types.ts';

export interface SimulatedMarketOptions {
  /** Canonical tickers: AAPL, X:BTCUSD, C:EURUSD. */
  symbols: readonly string[];
  /** Default 42. */
  seed?: number;
  /** Used only in 'live' mode, to schedule events at their times. */
  clock: Clock;
  /** live: clock timers emit events at their times; manual: only stepper.step(n) emits. */
  mode: 'live' | 'manual';
  /** Unix ms the first events are timed from. */
  startTime: number;
  /** Mean gap between two events of one symbol (default 1000). */
  quoteIntervalMs?: number;
  /** No event after this Unix ms; the stepper is then done. Default: endless. */
  endTime?: number;
}

export const DEFAULT_SIMULATION_SEED = 42;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const MICROS_PER_UNIT = Number(PRICE_SCALE);
const PENNY_MICROS = MICROS_PER_UNIT / 100;
const TRADE_SHARE = 0.3;
// Real-world volatilities doubled, so a simulated session swings enough for strategies to act.
const VOLATILITY_BOOST = 2;
const CRYPTO_SPREAD_BP = 1;

interface AssetProfile {
  readonly annualVolatility: number;
  /** How long a year of trading lasts, so the annual volatility spreads over the hours that trade. */
  readonly tradingYearMs: number;
  /** Sizes are drawn as whole counts of this many nanos (round lot, 0.0001 coin, 100k units). */
  readonly sizeUnitNanos: number;
}

const PROFILES: Readonly<Record<AssetClass, AssetProfile>> = {
  stock: { annualVolatility: 0.3, tradingYearMs: 252 * 6.5 * HOUR_MS, sizeUnitNanos: 100 * 1e9 },
  crypto: { annualVolatility: 0.6, tradingYearMs: 365 * 24 * HOUR_MS, sizeUnitNanos: 1e5 },
  forex: { annualVolatility: 0.08, tradingYearMs: 260 * 24 * HOUR_MS, sizeUnitNanos: 100_000 * 1e9 },
};

/** Roughly where well-known tickers traded in late 2024, so the simulation looks familiar. */
const STARTING_PRICES: Readonly<Record<string, number>> = {
  AAPL: 230,
  MSFT: 420,
  NVDA: 140,
  TSLA: 250,
  AMZN: 200,
  GOOGL: 170,
  META: 560,
  SPY: 590,
  QQQ: 500,
  'X:BTCUSD': 95_000,
  'X:ETHUSD': 3_400,
  'C:EURUSD': 1.05,
  'C:GBPUSD': 1.26,
  'C:USDJPY': 154,
};

/** Where an unknown ticker starts: log-uniform in [low, high], fixed by its name alone. */
const UNKNOWN_PRICE_RANGE: Readonly<Record<AssetClass, readonly [number, number]>> = {
  stock: [10, 500],
  crypto: [1, 1_000],
  forex: [0.5, 2],
};

/** mulberry32: tiny, fast and good enough for a market simulation (not for cryptography). */
class Mulberry32 {
  #state: number;

  constructor(seed: number) {
    this.#state = seed | 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    const state = (this.#state = (this.#state + 0x6d2b79f5) | 0);
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
}

/** FNV-1a, so each symbol's path is fixed by its name and the seed, whatever else is subscribed. */
function hashSymbol(symbol: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < symbol.length; i++) hash = Math.imul(hash ^ symbol.charCodeAt(i), 0x01000193);
  return mix32(hash);
}

/** murmur3's finaliser: spreads nearby inputs (seed 42 vs 43) over all 32 bits. */
function mix32(value: number): number {
  let h = value | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function startingPrice(symbol: string, assetClass: AssetClass, hash: number): number {
  const known = STARTING_PRICES[symbol];
  if (known !== undefined) return known;
  const [low, high] = UNKNOWN_PRICE_RANGE[assetClass];
  const price = low * (high / low) ** (mix32(hash ^ 0x5bd1e995) / 4_294_967_296);
  return Math.round(price * 100) / 100;
}

/** One symbol's private random walk, quote and current-minute trade totals. */
class SymbolFeed {
  readonly symbol: string;
  readonly assetClass: AssetClass;
  readonly random: Mulberry32;
  readonly sizeUnitNanos: number;
  readonly sizeUnit: bigint;
  /** Log-price standard deviation per sqrt(ms). */
  readonly volatility: number;
  mid: number;
  /** When mid was last moved; the next move covers all the time since, however long. */
  walkTime: number;
  nextTime = 0;
  quoted = false;
  spareNormal = Number.NaN;
  bidMicros = 0;
  askMicros = 0;
  bid: Price = 0n;
  ask: Price = 0n;
  barOpen = 0;
  barHigh = 0;
  barLow = 0;
  barClose = 0;
  /** Size units traded this minute; 0 means no bar is due for it. */
  barVolume = 0;

  constructor(symbol: string, seed: number, time: number) {
    const hash = hashSymbol(symbol);
    const profile = PROFILES[assetClassOf(symbol)];
    this.symbol = symbol;
    this.assetClass = assetClassOf(symbol);
    this.random = new Mulberry32(mix32(hash + mix32(seed)));
    this.sizeUnitNanos = profile.sizeUnitNanos;
    this.sizeUnit = BigInt(profile.sizeUnitNanos);
    this.volatility = (VOLATILITY_BOOST * profile.annualVolatility) / Math.sqrt(profile.tradingYearMs);
    this.mid = startingPrice(symbol, this.assetClass, hash);
    this.walkTime = time;
  }

  /** Standard normal by Box-Muller, keeping the second draw for next time. */
  normal(): number {
    const spare = this.spareNormal;
    if (spare === spare) {
      this.spareNormal = Number.NaN;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.random.next()));
    const angle = 2 * Math.PI * this.random.next();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Stocks: lots of 100 shares, 1–20; crypto: 0.01–2 coins, log-uniform; forex: 100k–5M units. */
  drawSizeUnits(): number {
    const u = this.random.next();
    if (this.assetClass === 'stock') return 1 + Math.floor(u * 20);
    if (this.assetClass === 'forex') return 1 + Math.floor(u * 50);
    return Math.round(100 * 200 ** u);
  }
}

function tickMicros(assetClass: AssetClass, price: number): number {
  if (assetClass === 'forex') return 10;
  if (assetClass === 'crypto') return PENNY_MICROS;
  return price >= 1 ? PENNY_MICROS : 100;
}

/**
 * The merged, time-ordered event stream of all subscribed symbols. Pure and deterministic:
 * live and manual mode both just pull from it, so they see the same sequence.
 */
class EventStream {
  readonly #seed: number;
  readonly #meanGapMs: number;
  readonly #feeds: SymbolFeed[] = [];
  /** Unsubscribed feeds keep their price, so a symbol that comes back resumes where it was. */
  readonly #parked = new Map<string, SymbolFeed>();
  /** Bars of the minute just closed, delivered one per next() before the new minute's events. */
  #bars: Bar[] = [];
  #barHead = 0;
  #minuteEnd: number;
  #feedsTradedThisMinute = 0;
  /** Index of the feed whose event is next; -1 when it must be searched again. */
  #nextIndex = -1;
  #time: number;

  constructor(seed: number, startTime: number, meanGapMs: number) {
    this.#seed = seed;
    this.#meanGapMs = meanGapMs;
    this.#time = startTime;
    this.#minuteEnd = minuteEndAfter(startTime);
  }

  /** Time of the last event delivered (the start time before any). */
  get time(): number {
    return this.#time;
  }

  has(symbol: string): boolean {
    return this.#feeds.some((feed) => feed.symbol === symbol);
  }

  /** Adds a symbol whose first event (always a quote) comes 1 ms after `after`, so a watchlist fills at once. */
  add(symbol: string, after: number): void {
    if (this.has(symbol)) return;
    const feed = this.#parked.get(symbol) ?? new SymbolFeed(symbol, this.#seed, after);
    this.#parked.delete(symbol);
    feed.quoted = false;
    feed.nextTime = after + 1;
    this.#feeds.push(feed);
    this.#nextIndex = -1;
  }

  remove(symbol: string): void {
    const index = this.#feeds.findIndex((feed) => feed.symbol === symbol);
    if (index < 0) return;
    const [feed] = this.#feeds.splice(index, 1);
    if (!feed) return;
    if (feed.barVolume > 0) this.#feedsTradedThisMinute--;
    feed.barVolume = 0;
    this.#parked.set(symbol, feed);
    this.#bars = this.#bars.slice(this.#barHead).filter((bar) => bar.symbol !== symbol);
    this.#barHead = 0;
    this.#nextIndex = -1;
  }

  /** Time of the next event; Infinity when nothing is subscribed. */
  peekTime(): number {
    const bar = this.#bars[this.#barHead];
    if (bar) return bar.time;
    const feed = this.#feeds[this.#findNext()];
    if (!feed) return Number.POSITIVE_INFINITY;
    const time = feed.nextTime;
    return time >= this.#minuteEnd && this.#feedsTradedThisMinute > 0 ? this.#minuteEnd : time;
  }

  next(): MarketEvent | undefined {
    if (this.#barHead < this.#bars.length) return this.#takeBar();
    const feed = this.#feeds[this.#findNext()];
    if (!feed) return undefined;
    if (feed.nextTime >= this.#minuteEnd) {
      this.#closeMinute(feed.nextTime);
      if (this.#barHead < this.#bars.length) return this.#takeBar();
    }
    this.#nextIndex = -1;
    return this.#eventOf(feed);
  }

  #findNext(): number {
    if (this.#nextIndex >= 0) return this.#nextIndex;
    const feeds = this.#feeds;
    let best = -1;
    let bestTime = Number.POSITIVE_INFINITY;
    // Strictly less: ties go to the symbol subscribed first, which keeps the order deterministic.
    for (let i = 0; i < feeds.length; i++) {
      const time = feeds[i]!.nextTime;
      if (time < bestTime) {
        bestTime = time;
        best = i;
      }
    }
    this.#nextIndex = best;
    return best;
  }

  #takeBar(): Bar {
    const bar = this.#bars[this.#barHead++]!;
    this.#time = bar.time;
    if (this.#barHead === this.#bars.length) {
      this.#bars.length = 0;
      this.#barHead = 0;
    }
    return bar;
  }

  /** Turns the finished minute's trades into bars and moves on to the minute holding `time`. */
  #closeMinute(time: number): void {
    const end = this.#minuteEnd;
    if (this.#feedsTradedThisMinute > 0) {
      for (const feed of this.#feeds) {
        if (feed.barVolume === 0) continue;
        this.#bars.push({
          kind: 'bar',
          symbol: feed.symbol,
          open: BigInt(feed.barOpen),
          high: BigInt(feed.barHigh),
          low: BigInt(feed.barLow),
          close: BigInt(feed.barClose),
          volume: BigInt(feed.barVolume) * feed.sizeUnit,
          start: end - MINUTE_MS,
          end,
          time: end,
        });
        feed.barVolume = 0;
      }
      this.#feedsTradedThisMinute = 0;
    }
    this.#minuteEnd = minuteEndAfter(time);
  }

  #eventOf(feed: SymbolFeed): Quote | Trade {
    const time = feed.nextTime;
    this.#time = time;
    feed.nextTime = time + this.#gap(feed);
    if (!feed.quoted || feed.random.next() >= TRADE_SHARE) return this.#quote(feed, time);
    return this.#trade(feed, time);
  }

  #quote(feed: SymbolFeed, time: number): Quote {
    const elapsed = time - feed.walkTime;
    if (elapsed > 0) {
      feed.mid *= Math.exp(feed.volatility * Math.sqrt(elapsed) * feed.normal());
      feed.walkTime = time;
    }
    const tick = tickMicros(feed.assetClass, feed.mid);
    const spreadTicks =
      feed.assetClass === 'crypto'
        ? Math.max(1, Math.round((feed.mid * MICROS_PER_UNIT * CRYPTO_SPREAD_BP * (0.75 + 0.5 * feed.random.next())) / 1e4 / tick))
        : 1 + Math.floor(feed.random.next() * 3);
    const bidMicros = Math.max(1, Math.round((feed.mid * MICROS_PER_UNIT) / tick - spreadTicks / 2)) * tick;
    let askMicros = bidMicros + spreadTicks * tick;
    // Sub-penny stock quotes are allowed only below $1, so an ask that reaches $1 snaps up to the penny.
    if (feed.assetClass === 'stock' && askMicros >= MICROS_PER_UNIT && askMicros % PENNY_MICROS !== 0) {
      askMicros = Math.ceil(askMicros / PENNY_MICROS) * PENNY_MICROS;
    }
    // Reuse the bigints when a side did not move: most quotes only change one side or the sizes.
    if (bidMicros !== feed.bidMicros) {
      feed.bidMicros = bidMicros;
      feed.bid = BigInt(bidMicros);
    }
    if (askMicros !== feed.askMicros) {
      feed.askMicros = askMicros;
      feed.ask = BigInt(askMicros);
    }
    feed.quoted = true;
    return {
      kind: 'quote',
      symbol: feed.symbol,
      bid: feed.bid,
      ask: feed.ask,
      bidSize: BigInt(feed.drawSizeUnits() * feed.sizeUnitNanos),
      askSize: BigInt(feed.drawSizeUnits() * feed.sizeUnitNanos),
      time,
    };
  }

  /** A trade against the current quote: a buyer lifting the ask or a seller hitting the bid. */
  #trade(feed: SymbolFeed, time: number): Trade {
    const atAsk = feed.random.next() < 0.5;
    const priceMicros = atAsk ? feed.askMicros : feed.bidMicros;
    const units = feed.drawSizeUnits();
    if (feed.barVolume === 0) {
      feed.barOpen = feed.barHigh = feed.barLow = priceMicros;
      this.#feedsTradedThisMinute++;
    } else if (priceMicros > feed.barHigh) {
      feed.barHigh = priceMicros;
    } else if (priceMicros < feed.barLow) {
      feed.barLow = priceMicros;
    }
    feed.barClose = priceMicros;
    feed.barVolume += units;
    return {
      kind: 'trade',
      symbol: feed.symbol,
      price: atAsk ? feed.ask : feed.bid,
      size: BigInt(units * feed.sizeUnitNanos),
      time,
    };
  }

  /** Exponential inter-arrival time in whole ms, at least 1 so a symbol's events are distinct. */
  #gap(feed: SymbolFeed): number {
    return Math.max(1, Math.round(-this.#meanGapMs * Math.log(1 - feed.random.next())));
  }
}

function minuteEndAfter(time: number): number {
  return (Math.floor(time / MINUTE_MS) + 1) * MINUTE_MS;
}

/**
 * A seeded, realistic market for any symbol: a geometric random walk per symbol with quotes on
 * the tick, trades at the quote and one-minute bars. The same options always give the same events.
 */
export class SimulatedMarket implements MarketDataProvider {
  readonly source = 'simulated';
  /** Present in manual mode only. */
  readonly stepper: MarketStepper | undefined;
  readonly #seed: number;
  readonly #clock: Clock;
  readonly #live: boolean;
  readonly #endTime: number;
  readonly #stream: EventStream;
  #sink: MarketSink | undefined;
  #timer: Timer | undefined;
  #position = 0;
  #ended = false;

  constructor(options: SimulatedMarketOptions) {
    this.#seed = options.seed ?? DEFAULT_SIMULATION_SEED;
    this.#clock = options.clock;
    this.#live = options.mode === 'live';
    this.#endTime = options.endTime ?? Number.POSITIVE_INFINITY;
    this.#stream = new EventStream(this.#seed, options.startTime, options.quoteIntervalMs ?? 1000);
    for (const symbol of options.symbols) this.#stream.add(symbol, options.startTime);
    this.stepper = this.#live ? undefined : this.#createStepper();
  }

  async start(sink: MarketSink): Promise<void> {
    this.#sink = sink;
    sink.status({ source: 'simulated', state: 'live', message: `simulated market (seed ${this.#seed})` });
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#cancelTimer();
    const sink = this.#sink;
    this.#sink = undefined;
    sink?.status({ source: 'simulated', state: 'stopped' });
  }

  subscribe(symbols: readonly string[]): void {
    const now = this.#live ? Math.max(this.#clock.now(), this.#stream.time) : this.#stream.time;
    for (const symbol of symbols) this.#stream.add(symbol, now);
    this.#schedule();
  }

  unsubscribe(symbols: readonly string[]): void {
    for (const symbol of symbols) this.#stream.remove(symbol);
    this.#schedule();
  }

  #createStepper(): MarketStepper {
    const market = this;
    return {
      step: (count: number) => market.#step(count),
      get done() {
        return market.#stream.peekTime() > market.#endTime;
      },
      get position() {
        return market.#position;
      },
      total: undefined,
    };
  }

  #step(count: number): number {
    if (!this.#sink) throw new Error('start the simulated market before stepping it');
    return this.#deliverUntil(this.#endTime, count);
  }

  /** Delivers events due at or before `limit`, at most `count`; stops early if the sink stops us. */
  #deliverUntil(limit: number, count: number): number {
    const stream = this.#stream;
    const sink = this.#sink;
    if (!sink) return 0;
    let delivered = 0;
    while (delivered < count && this.#sink === sink && stream.peekTime() <= limit) {
      sink.event(stream.next()!);
      delivered++;
    }
    this.#position += delivered;
    if (stream.peekTime() > this.#endTime) this.#reportEnded();
    return delivered;
  }

  /** Live mode: one timer, at the next event's time. */
  #schedule(): void {
    if (!this.#live || !this.#sink) return;
    this.#cancelTimer();
    const at = this.#stream.peekTime();
    if (at > this.#endTime) return this.#reportEnded();
    if (at === Number.POSITIVE_INFINITY) return;
    this.#timer = this.#clock.setTimer(at, () => {
      this.#timer = undefined;
      this.#deliverUntil(Math.min(this.#clock.now(), this.#endTime), Number.POSITIVE_INFINITY);
      this.#schedule();
    });
  }

  #cancelTimer(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #reportEnded(): void {
    if (this.#ended || !this.#sink) return;
    this.#ended = true;
    this.#sink.status({ source: 'simulated', state: 'ended', message: 'simulated market reached its end time' });
  }
}
