import { z } from 'zod';
import { formatPrice, formatQty, type Cents, type Price } from '../src/engine/money.ts';
import { stockTick } from '../src/engine/execution/brokerage-model.ts';
import type { OrderRequest } from '../src/engine/orders/order.ts';
import type { StrategyContext } from '../src/engine/strategy/strategy.ts';

/**
 * The seed's sizing and protection params, shared by the built-ins: position_size (shares per
 * entry, the seed's name for qty), and stop_loss / take_profit as fractions of the entry price
 * (0.02: 2% below or above it), placed as the entry's bracket.
 */
export const protectionParams = {
  positionSize: z.number().positive().optional(),
  stopLoss: z.number().gt(0, 'stop_loss is a fraction of the entry price, e.g. 0.02 for 2% below it').lt(1, 'stop_loss is a fraction of the entry price, e.g. 0.02 for 2% below it').optional(),
  takeProfit: z.number().gt(0, 'take_profit is a fraction of the entry price, e.g. 0.05 for 5% above it').optional(),
};

export interface Protection {
  positionSize?: number | undefined;
  stopLoss?: number | undefined;
  takeProfit?: number | undefined;
}

/** Qty to buy: a fixed qty (or position_size) if given, else `allocation` of equity at the current ask (whole lots). */
export function entryQty(ctx: StrategyContext, symbol: string, allocation: number, fixedQty: string | undefined, positionSize?: number): string | undefined {
  if (fixedQty !== undefined) return fixedQty;
  if (positionSize !== undefined) return String(positionSize);
  const ask = ctx.quote(symbol)?.ask ?? ctx.price(symbol);
  if (ask === undefined) return undefined;
  const budget = minCents(ctx.buyingPower(), (ctx.equity() * BigInt(Math.round(allocation * 10_000))) / 10_000n);
  const qty = ctx.qtyForCash(symbol, budget, ask);
  return qty === '0' ? undefined : qty;
}

/**
 * A market buy of `qty`, with its protective exits when asked: a bracket (both), or an oto (one),
 * priced from the current ask, rounded to the tick away from it. gtc, so the exits hold overnight.
 */
export function entryOrder(ctx: StrategyContext, symbol: string, qty: string, protection: Protection): OrderRequest {
  const buy: OrderRequest = { symbol, side: 'buy', qty, type: 'market' };
  const ask = ctx.quote(symbol)?.ask || ctx.price(symbol);
  if (ask === undefined || (protection.stopLoss === undefined && protection.takeProfit === undefined)) return buy;
  const at = (fraction: number, up: boolean): string => formatPrice(onTick(ask + (ask * BigInt(Math.round(fraction * 1e6)) * (up ? 1n : -1n)) / 1_000_000n, up));
  return {
    ...buy,
    timeInForce: 'gtc',
    orderClass: protection.stopLoss !== undefined && protection.takeProfit !== undefined ? 'bracket' : 'oto',
    ...(protection.takeProfit === undefined ? {} : { takeProfit: { limitPrice: at(protection.takeProfit, true) } }),
    ...(protection.stopLoss === undefined ? {} : { stopLoss: { stopPrice: at(protection.stopLoss, false) } }),
  };
}

/** Sells the strategy's whole position at market, canceling its protective exits first (they hold the shares). */
export function exitPosition(ctx: StrategyContext, symbol: string): void {
  for (const order of ctx.openOrders(symbol)) if (order.parentId !== null) ctx.cancelOrder(order.id);
  ctx.placeOrder({ symbol, side: 'sell', qty: formatQty(ctx.position(symbol)), type: 'market' });
}

/** `price` on a stock's tick (a multiple of every market's tick), rounded up or down. */
function onTick(price: Price, up: boolean): Price {
  const tick = stockTick(price);
  const down = (price / tick) * tick;
  return up && down < price ? down + tick : down > 0n ? down : tick;
}

const minCents = (a: Cents, b: Cents): Cents => (a < b ? a : b);

/** True when the strategy has a working entry or exit of its own in the symbol (one at a time); a bracket's exits do not count. */
export const hasOpenOrder = (ctx: StrategyContext, symbol: string): boolean => ctx.openOrders(symbol).some((order) => order.parentId === null);
