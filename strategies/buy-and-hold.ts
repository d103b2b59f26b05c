import { z } from 'zod';
import { allocationParam } from '../src/engine/strategy/price-source.ts';
import { defineStrategy } from '../src/engine/strategy/strategy.ts';
import { entryQty } from './position-sizing.ts';

const params = z
  .object({
    /** Share of equity to invest, split equally over the watchlist. */
    allocation: allocationParam(0.95),
  })
  .strict();

/** Buys each watched symbol once, with an equal share of equity, and holds. */
export const buyAndHold = defineStrategy({
  name: 'buy-and-hold',
  description: 'Buy every symbol in the watchlist once with an equal share of equity, then hold',
  params,
  create(p) {
    const bought = new Set<string>();
    return {
      onQuote(quote, ctx) {
        if (bought.has(quote.symbol) || ctx.position(quote.symbol) > 0n) return;
        bought.add(quote.symbol);
        const share = p.allocation / Math.max(1, ctx.symbols.length);
        const qty = entryQty(ctx, quote.symbol, share, undefined);
        if (qty) ctx.placeOrder({ symbol: quote.symbol, side: 'buy', qty, type: 'market' });
        else ctx.log(`${quote.symbol}: not enough cash for a position`);
      },
      save: () => ({ bought: [...bought] }),
      load(state) {
        const saved = (state as { bought?: unknown })?.bought;
        if (Array.isArray(saved)) for (const symbol of saved) bought.add(String(symbol));
      },
    };
  },
});
