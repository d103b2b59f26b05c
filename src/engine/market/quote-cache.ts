import { divRound, type Price, type Qty } from '../money.ts';
import { quoteMark, updatesLast } from './quote-rules.ts';
import type { Bar, MarketEvent, Quote, Trade } from './types.ts';

/** The latest market state of one symbol: cached first, then published (nautilus' order). */
export interface SymbolMarket {
  readonly symbol: string;
  /** The newest quote, whatever its shape (see quote-rules.ts). */
  quote: Quote | undefined;
  /** The newest print that may update the last price (its sale conditions allow it). */
  trade: Trade | undefined;
  /** The newest extended-hours print (Form T): shown as such, never the regular last. */
  extendedTrade: Trade | undefined;
  /** The bar that began last; one sent again for the same minute does not replace it. */
  bar: Bar | undefined;
  /** The price positions are marked at: the latest of quote mark, last trade and bar close. */
  mark: Price | undefined;
  /** The first price seen this session, for change % when the previous close is not known. */
  open: Price | undefined;
  /** The previous session's close, from the provider: the day's change is measured from it. */
  previousClose: Price | undefined;
  /** Traded volume seen this session (prints whose conditions count toward volume). */
  volume: Qty;
  updatedAt: number;
}

export class QuoteCache {
  readonly #markets = new Map<string, SymbolMarket>();

  get(symbol: string): SymbolMarket | undefined {
    return this.#markets.get(symbol);
  }

  entries(): IterableIterator<SymbolMarket> {
    return this.#markets.values();
  }

  markOf = (symbol: string): Price | undefined => this.#markets.get(symbol)?.mark;

  /**
   * Whether an event, once taken in, is the newest of its kind for its symbol: a late quote or
   * trade (older than one already seen), a print that may not set the last price and a bar sent
   * again are not, and so trigger and fill nothing.
   */
  isLatest(event: MarketEvent): boolean {
    const market = this.#markets.get(event.symbol);
    if (event.kind === 'quote') return market?.quote === event;
    if (event.kind === 'trade') return market?.trade === event;
    return market?.bar === event;
  }

  setPreviousClose(symbol: string, price: Price): SymbolMarket {
    const market = this.#market(symbol);
    market.previousClose = price;
    return market;
  }

  /**
   * A split that began at `start`: prices the cache took before it were for the shares before it,
   * so until the market prices the new shares they are scaled by the ratio (marks and equity
   * stay continuous). Prices taken since are the new shares' already.
   */
  split(symbol: string, from: bigint, to: bigint, start: number): void {
    const market = this.#markets.get(symbol);
    if (!market || market.updatedAt >= start) return;
    const price = (value: Price): Price => divRound(value * from, to);
    const scaled = <T extends Price | undefined>(value: T): T => (value === undefined ? value : (price(value) as T));
    const { quote, trade, extendedTrade, bar } = market;
    if (quote) market.quote = { ...quote, bid: price(quote.bid), ask: price(quote.ask), bidSize: (quote.bidSize * to) / from, askSize: (quote.askSize * to) / from };
    if (trade) market.trade = { ...trade, price: price(trade.price) };
    if (extendedTrade) market.extendedTrade = { ...extendedTrade, price: price(extendedTrade.price) };
    if (bar) market.bar = { ...bar, open: price(bar.open), high: price(bar.high), low: price(bar.low), close: price(bar.close) };
    market.mark = scaled(market.mark);
    market.open = scaled(market.open);
    market.previousClose = scaled(market.previousClose);
  }

  update(event: MarketEvent): SymbolMarket {
    const market = this.#market(event.symbol);
    let price: Price | undefined;
    if (event.kind === 'quote') {
      // A quote delivered late (older than the one we have) is history, not the market: it marks nothing.
      if (market.quote && event.time < market.quote.time) return market;
      market.quote = event;
      price = quoteMark(event);
    } else if (event.kind === 'trade') {
      if (event.eligibility?.volume ?? true) market.volume += event.size;
      if (event.eligibility?.extendedHours && (!market.extendedTrade || event.time >= market.extendedTrade.time)) market.extendedTrade = event;
      if (!updatesLast(event) || (market.trade && event.time < market.trade.time)) return market;
      market.trade = event;
      price = event.price;
    } else {
      if (market.bar && event.start <= market.bar.start) return market;
      market.bar = event;
      // Trades already counted this volume when the feed carries both.
      if (!market.trade) market.volume += event.volume;
      price = event.close;
    }
    if (price === undefined) return market;
    if (event.time >= market.updatedAt) {
      market.mark = price;
      market.updatedAt = event.time;
    }
    market.open ??= price;
    return market;
  }

  #market(symbol: string): SymbolMarket {
    let market = this.#markets.get(symbol);
    if (!market) {
      market = {
        symbol,
        quote: undefined,
        trade: undefined,
        extendedTrade: undefined,
        bar: undefined,
        mark: undefined,
        open: undefined,
        previousClose: undefined,
        volume: 0n,
        updatedAt: 0,
      };
      this.#markets.set(symbol, market);
    }
    return market;
  }
}
