import type { Price, Qty } from '../money.ts';
import type { MarketHours } from './market-hours.ts';

// Symbols are canonical REST tickers: AAPL, X:BTCUSD (crypto), C:EURUSD (forex).
export type AssetClass = 'stock' | 'crypto' | 'forex';

/**
 * Best bid and offer. Sizes are in units the executor can fill (shares, coins, currency units).
 * A side with no price is 0 (a one-sided market); see quote-rules.ts for what odd quotes do.
 */
export interface Quote {
  readonly kind: 'quote';
  readonly symbol: string;
  readonly bid: Price;
  readonly ask: Price;
  readonly bidSize: Qty;
  readonly askSize: Qty;
  /** Unix ms. */
  readonly time: number;
  /** The feed delivers this event this long after it happened (Polygon's delayed feed: 15 minutes); absent: real time. */
  readonly delayMs?: number;
}

export interface Trade {
  readonly kind: 'trade';
  readonly symbol: string;
  readonly price: Price;
  readonly size: Qty;
  readonly time: number;
  /** The feed delivers this event this long after it happened (Polygon's delayed feed: 15 minutes); absent: real time. */
  readonly delayMs?: number;
  /** What this print may update, from its sale conditions (trade-conditions.ts); absent: a regular sale. */
  readonly eligibility?: PrintEligibility;
}

/** What a print may update. Only a print that updates the last price marks, triggers or fills anything. */
export interface PrintEligibility {
  readonly last: boolean;
  readonly highLow: boolean;
  readonly volume: boolean;
  /** Printed outside the regular session (Form T): an extended-hours last, never the regular one. */
  readonly extendedHours: boolean;
  /** The provider's condition codes, as sent. */
  readonly conditions: readonly number[];
}

/** A bar covering [start, end) in Unix ms; delivered after it closes, at time = end. */
export interface Bar {
  readonly kind: 'bar';
  readonly symbol: string;
  readonly open: Price;
  readonly high: Price;
  readonly low: Price;
  readonly close: Price;
  readonly volume: Qty;
  readonly start: number;
  readonly end: number;
  readonly time: number;
  /** The feed delivers this event this long after it happened (Polygon's delayed feed: 15 minutes); absent: real time. */
  readonly delayMs?: number;
}

/**
 * When the feed meant `time` of `event` to reach us: on a delayed feed, the delay later. Orders and
 * staleness are judged against it, so a 15-minute-old print arriving after an order counts for it.
 */
export const arrivalOf = (event: MarketEvent, time = event.time): number => time + (event.delayMs ?? 0);

export type MarketEvent = Quote | Trade | Bar;

/** What a provider reports about its own connection, for the status bar and the log. */
export interface MarketStatus {
  readonly source: 'simulated' | 'replay' | 'polygon';
  readonly state: 'connecting' | 'live' | 'delayed' | 'reconnecting' | 'ended' | 'stopped' | 'failed';
  readonly message?: string;
}

/** The market data port. Providers deliver events through sink; the engine owns time and order. */
export interface MarketDataProvider {
  readonly source: MarketStatus['source'];
  start(sink: MarketSink): Promise<void>;
  stop(): Promise<void>;
  subscribe(symbols: readonly string[]): void;
  unsubscribe(symbols: readonly string[]): void;
  /** Providers driven by hand (replay, simulated on a manual clock) can be stepped. */
  readonly stepper?: MarketStepper;
  /** When orders may fill; without it, always (simulated and replayed data). */
  readonly hours?: MarketHours;
  /**
   * The last `count` completed one-minute bars of `symbol` before now, oldest first: strategies
   * warm up on them before live data reaches them. Providers without a past leave it out.
   */
  history?(symbol: string, count: number): Promise<Bar[]>;
  /** The provider's tickers matching `text` (in the ticker or the name), best first: the screen's symbol search. */
  searchSymbols?(text: string, limit: number): Promise<TickerMatch[]>;
  /**
   * `symbol`'s bars of `minutes` (at most 30) from `from` to `to`, oldest first, for its chart.
   * Providers without a past leave it out: the chart shows what this run has seen.
   */
  candles?(symbol: string, minutes: number, from: number, to: number): Promise<Bar[]>;
  /**
   * What `typed` (normalised to `symbol`) names among the provider's own tickers: the ticker, or
   * why it is refused. Undefined when the provider cannot tell (it is taken as typed). Providers
   * that know every symbol (simulated, replay) leave it out.
   */
  checkSymbol?(typed: string, symbol: string): Promise<{ ok: true; symbol: string } | { ok: false; error: string } | undefined>;
}

/** A ticker a search found, with its name where the provider has one. */
export interface TickerMatch {
  readonly symbol: string;
  readonly name: string;
}

export interface MarketSink {
  event(event: MarketEvent): void;
  status(status: MarketStatus): void;
  /** A problem for the log that leaves the connection's state, and the message it shows, as they are. */
  notice?(message: string): void;
  /** The previous session's close of a symbol, for the day's change. */
  previousClose?(symbol: string, price: Price): void;
  /** What the provider's traffic looked like, for its own log (polygon-data.log). */
  traffic?(entry: MarketDataTraffic): void;
}

/** A REST request the provider made (its path without the key), or a detail only a debug log wants. */
export type MarketDataTraffic =
  | { readonly kind: 'request'; readonly path: string; readonly status: number; readonly ms: number }
  | { readonly kind: 'debug'; readonly message: string };

export interface MarketStepper {
  /** Delivers up to n events; resolves with how many were delivered (0 at the end). */
  step(n: number): number;
  readonly done: boolean;
  /** Events delivered so far and in all (total is undefined for an endless source). */
  readonly position: number;
  readonly total: number | undefined;
  /** Names the session being stepped, so a position saved for one is never used on another. */
  readonly session?: string;
  /** The market time of the next event, for playing a recording at its own pace; undefined at the end or when unknown. */
  readonly nextTime?: number | undefined;
  /** Skips the first n events (visiting each), to resume a session where a saved account left it. */
  fastForward?(n: number, visit: (event: MarketEvent) => void): Promise<void>;
  /** Reads ahead so that n events can be stepped at once (a source read from a file). */
  prefetch?(n: number): Promise<void>;
}
