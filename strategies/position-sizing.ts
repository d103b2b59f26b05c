import type { Cents } from '../src/engine/money.ts';
import type { StrategyContext } from '../src/engine/strategy/strategy.ts';

/** Qty to buy: a fixed qty if given, else `allocation` of equity at the current ask (whole lots). */
export function entryQty(ctx: StrategyContext, symbol: string, allocation: number, fixedQty: string | undefined): string | undefined {
  if (fixedQty !== undefined) return fixedQty;
  const ask = ctx.quote(symbol)?.ask ?? ctx.price(symbol);
  if (ask === undefined) return undefined;
  const budget = minCents(ctx.buyingPower(), (ctx.equity() * BigInt(Math.round(allocation * 10_000))) / 10_000n);
  const qty = ctx.qtyForCash(symbol, budget, ask);
  return qty === '0' ? undefined : qty;
}

const minCents = (a: Cents, b: Cents): Cents => (a < b ? a : b);

/** True when the strategy already has a working order in the symbol (one at a time). */
export const hasOpenOrder = (ctx: StrategyContext, symbol: string): boolean => ctx.openOrders(symbol).length > 0;
