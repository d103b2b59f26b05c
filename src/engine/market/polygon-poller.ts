import type { Clock, Timer } from '../clock/clock.ts';
import { messageOf } from '../errors.ts';
import type { PolygonRest } from './polygon-rest.ts';
import type { Price } from '../money.ts';
import type { Trade } from './types.ts';

// Prices for a plan without a WebSocket (Polygon's free plans, docs/polygon-plans.md §7): the
// previous close of each watched symbol, read from REST one request at a time, spaced so the
// polling stays within the plan's rate and leaves room for everything else.

export interface PolygonPollerOptions {
  rest: PolygonRest;
  clock: Clock;
  /** Time between two requests. The free plan allows 5 a minute: 15 s keeps one a minute spare. */
  spacingMs: number;
  deliver(trade: Trade): void;
  /** The same day bar is the previous session's close, for the day's change. */
  previousClose(symbol: string, price: Price): void;
  /** A symbol the plan cannot read (403) or that failed, said by the caller. */
  problem(symbol: string, message: string): void;
}

/** What a free plan reads: end-of-day data; each close arrives as a print at the time it was read. */
const CLOSE_PRINT = { last: true, highLow: false, volume: false, extendedHours: false, conditions: [] } as const;

export class PolygonPoller {
  readonly #options: PolygonPollerOptions;
  readonly #symbols: string[] = [];
  #next = 0;
  #timer: Timer | undefined;
  #running = false;

  constructor(options: PolygonPollerOptions) {
    this.#options = options;
  }

  get spacingMs(): number {
    return this.#options.spacingMs;
  }

  /** How old the prices may be beyond their own age: one full round of requests. */
  get roundMs(): number {
    return Math.max(1, this.#symbols.length) * this.#options.spacingMs;
  }

  add(symbols: readonly string[]): void {
    for (const symbol of symbols) if (!this.#symbols.includes(symbol)) this.#symbols.push(symbol);
  }

  remove(symbols: readonly string[]): void {
    for (const symbol of symbols) {
      const at = this.#symbols.indexOf(symbol);
      if (at >= 0) this.#symbols.splice(at, 1);
    }
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#poll();
  }

  stop(): void {
    this.#running = false;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  async #poll(): Promise<void> {
    const { clock, rest, spacingMs } = this.#options;
    const symbol = this.#symbols[this.#next++ % Math.max(1, this.#symbols.length)];
    if (symbol !== undefined) {
      try {
        const bar = await rest.previousClose(symbol);
        const now = clock.now();
        // Re-sent each round with the time it was read, so an order placed since meets it.
        if (bar && this.#running) this.#options.previousClose(symbol, bar.close);
        if (bar && this.#running) this.#options.deliver({ kind: 'trade', symbol, price: bar.close, size: bar.volume, time: bar.end, delayMs: Math.max(0, now - bar.end), eligibility: CLOSE_PRINT });
      } catch (error) {
        if (this.#running) this.#options.problem(symbol, messageOf(error));
      }
    }
    if (!this.#running) return;
    this.#timer = clock.setTimer(clock.now() + spacingMs, () => {
      this.#timer = undefined;
      if (this.#running) void this.#poll();
    });
  }
}
