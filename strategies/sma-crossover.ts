import { z } from 'zod';
import { allocationParam, indicatorHalfMicros, priceSourceParam } from '../src/engine/strategy/price-source.ts';
import { defineStrategy, type StrategyContext } from '../src/engine/strategy/strategy.ts';
import type { Bar, Quote, Trade } from '../src/engine/market/types.ts';
import { entryOrder, entryQty, exitPosition, hasOpenOrder, protectionParams } from './position-sizing.ts';

const params = z
  .object({
    shortWindow: z.number().int().min(1).default(10),
    longWindow: z.number().int().min(2).default(30),
    /** Fixed qty per entry; without it each entry uses `allocation` of equity. */
    qty: z.string().optional(),
    allocation: allocationParam(0.1),
    source: priceSourceParam,
    ...protectionParams,
  })
  .strict()
  .refine((p) => p.shortWindow < p.longWindow, { message: 'shortWindow must be smaller than longWindow' });

/**
 * The last `size` prices and their sum, kept as each comes: an average costs an addition and a
 * subtraction, not a pass over the window. Whole half-micros sum exactly in a float (far below 2^53).
 */
class Window {
  readonly #prices: Float64Array;
  #count = 0;
  sum = 0;

  constructor(readonly size: number) {
    this.#prices = new Float64Array(size);
  }

  /** Adds a price; true once the window is full. */
  add(price: number): boolean {
    const slot = this.#count % this.size;
    if (this.#count >= this.size) this.sum -= this.#prices[slot]!;
    this.#prices[slot] = price;
    this.sum += price;
    this.#count++;
    return this.#count >= this.size;
  }
}

interface Averages {
  short: Window;
  long: Window;
  /** Was the short average above the long one at the last price? */
  above: boolean | undefined;
}

/** Buys when the short moving average crosses above the long one; sells the position when it crosses below. */
export const smaCrossover = defineStrategy({
  name: 'sma-crossover',
  aliases: ['simple_paper_strategy'],
  description: 'Buy when the short SMA crosses above the long SMA, sell when it crosses below',
  params,
  warmupBars: (p) => p.longWindow + 1,
  create(p) {
    const bySymbol = new Map<string, Averages>();
    const averagesOf = (symbol: string): Averages => {
      let averages = bySymbol.get(symbol);
      if (!averages) bySymbol.set(symbol, (averages = { short: new Window(p.shortWindow), long: new Window(p.longWindow), above: undefined }));
      return averages;
    };
    /** Adds a price; true when the short average just crossed the long one. */
    const crossedAt = (symbol: string, halfMicros: bigint): boolean => {
      const price = Number(halfMicros);
      const averages = averagesOf(symbol);
      const shortFull = averages.short.add(price);
      if (!averages.long.add(price) || !shortFull) return false;
      // Exact sums, each average one correctly rounded division: equal averages compare equal, so float noise never fakes a cross.
      const above = averages.short.sum / averages.short.size > averages.long.sum / averages.long.size;
      const crossed = averages.above !== undefined && above !== averages.above;
      averages.above = above;
      return crossed;
    };
    const onPrice = (event: Quote | Trade | Bar, ctx: StrategyContext): void => {
      const halfMicros = indicatorHalfMicros(p.source, event);
      if (halfMicros === undefined || !crossedAt(event.symbol, halfMicros)) return;
      if (hasOpenOrder(ctx, event.symbol)) return;
      const above = averagesOf(event.symbol).above;
      const held = ctx.position(event.symbol);
      if (above && held === 0n) {
        const qty = entryQty(ctx, event.symbol, p.allocation, p.qty, p.positionSize);
        if (qty) ctx.placeOrder(entryOrder(ctx, event.symbol, qty, p));
      } else if (!above && held > 0n) {
        exitPosition(ctx, event.symbol);
      }
    };
    return {
      onQuote: onPrice,
      onTrade: onPrice,
      onBar: onPrice,
      // Minute closes fill the averages whatever the live source: a cross in history is no signal now.
      warmUp: (bars) => {
        for (const bar of bars) crossedAt(bar.symbol, indicatorHalfMicros('bars', bar)!);
      },
      save: () => ({ above: Object.fromEntries([...bySymbol].map(([symbol, a]) => [symbol, a.above])) }),
    };
  },
});
