import { SMA } from 'trading-signals';
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

interface Averages {
  short: SMA;
  long: SMA;
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
      if (!averages) bySymbol.set(symbol, (averages = { short: new SMA(p.shortWindow), long: new SMA(p.longWindow), above: undefined }));
      return averages;
    };
    /** Adds a price; true when the short average just crossed the long one. */
    const crossedAt = (symbol: string, halfMicros: bigint): boolean => {
      // Whole half-micros sum exactly in a float, and each average is one correctly rounded
      // division: equal averages compare equal, so float noise never fakes a cross.
      const price = Number(halfMicros);
      const averages = averagesOf(symbol);
      const short = averages.short.add(price);
      const long = averages.long.add(price);
      if (short === null || long === null) return false;
      const above = short > long;
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
