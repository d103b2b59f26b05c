import { divRound, type Price, type Qty } from '../money.ts';
import type { Bar, MarketEvent, Quote, Trade } from './types.ts';

/** The latest market state of one symbol: cached first, then published (nautilus' order). */
export interface SymbolMarket {
  readonly symbol: string;
  quote: Quote | undefined;
  trade: Trade | undefined;
  bar: Bar | undefined;
  /** The price positions are marked at: the latest of quote mid, trade price and bar close. */
  mark: Price | undefined;
  /** The first price seen this session, for change %. */
  open: Price | undefined;
  /** Traded volume seen this session. */
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

  update(event: MarketEvent): SymbolMarket {
    let market = this.#markets.get(event.symbol);
    if (!market) {
      market = { symbol: event.symbol, quote: undefined, trade: undefined, bar: undefined, mark: undefined, open: undefined, volume: 0n, updatedAt: 0 };
      this.#markets.set(event.symbol, market);
    }
    let price: Price;
    if (event.kind === 'quote') {
      // A quote delivered late (older than the one we have) is history, not the market.
      if (!market.quote || event.time >= market.quote.time) market.quote = event;
      price = divRound(event.bid + event.ask, 2n);
    } else if (event.kind === 'trade') {
      if (!market.trade || event.time >= market.trade.time) market.trade = event;
      market.volume += event.size;
      price = event.price;
    } else {
      market.bar = event;
      // Trades already counted this volume when the feed carries both.
      if (!market.trade) market.volume += event.volume;
      price = event.close;
    }
    if (event.time >= market.updatedAt) {
      market.mark = price;
      market.updatedAt = event.time;
    }
    market.open ??= price;
    return market;
  }
}
