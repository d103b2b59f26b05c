import type { Bar, MarketEvent, Quote, Trade } from './types.ts';
import { CRYPTO_SPREAD_BP, MICROS_PER_UNIT, MINUTE_MS, PENNY_MICROS, SymbolFeed, tickMicros, TRADE_SHARE } from './simulated-symbol.ts';

/**
 * The merged, time-ordered event stream of all subscribed symbols. Pure and deterministic:
 * live and manual mode both just pull from it, so they see the same sequence.
 */
export class EventStream {
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
