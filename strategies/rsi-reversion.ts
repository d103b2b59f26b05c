import { RSI } from 'trading-signals';
import { z } from 'zod';
import { allocationParam, indicatorPrice, priceSourceParam } from '../src/engine/strategy/price-source.ts';
import { defineStrategy, type StrategyContext } from '../src/engine/strategy/strategy.ts';
import type { Bar, Quote, Trade } from '../src/engine/market/types.ts';
import { entryOrder, entryQty, exitPosition, hasOpenOrder, protectionParams } from './position-sizing.ts';

const params = z
  .object({
    period: z.number().int().min(2).default(14),
    oversold: z.number().gt(0).lt(100).default(30),
    overbought: z.number().gt(0).lt(100).default(70),
    qty: z.string().optional(),
    allocation: allocationParam(0.1),
    source: priceSourceParam,
    ...protectionParams,
  })
  .strict()
  .refine((p) => p.oversold < p.overbought, { message: 'oversold must be below overbought' });

/** Mean reversion: buys when RSI falls below `oversold`, sells the position when it rises above `overbought`. */
export const rsiReversion = defineStrategy({
  name: 'rsi-reversion',
  aliases: ['mean-reversion'],
  description: 'Mean reversion on RSI: buy oversold, sell overbought',
  params,
  warmupBars: (p) => p.period + 1,
  create(p) {
    const bySymbol = new Map<string, RSI>();
    const rsiOf = (symbol: string): RSI => {
      let rsi = bySymbol.get(symbol);
      if (!rsi) bySymbol.set(symbol, (rsi = new RSI(p.period)));
      return rsi;
    };
    const onPrice = (event: Quote | Trade | Bar, ctx: StrategyContext): void => {
      const price = indicatorPrice(p.source, event);
      if (price === undefined) return;
      const value = rsiOf(event.symbol).add(price);
      if (value === null || hasOpenOrder(ctx, event.symbol)) return;
      const held = ctx.position(event.symbol);
      if (value < p.oversold && held === 0n) {
        const qty = entryQty(ctx, event.symbol, p.allocation, p.qty, p.positionSize);
        if (qty) ctx.placeOrder(entryOrder(ctx, event.symbol, qty, p));
      } else if (value > p.overbought && held > 0n) {
        exitPosition(ctx, event.symbol);
      }
    };
    return {
      onQuote: onPrice,
      onTrade: onPrice,
      onBar: onPrice,
      warmUp: (bars) => {
        for (const bar of bars) rsiOf(bar.symbol).add(indicatorPrice('bars', bar)!);
      },
    };
  },
});
