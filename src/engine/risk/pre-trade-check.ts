import { formatCents, formatPrice, formatQty, maxBigint, notional, type Cents, type Price, type Qty } from '../money.ts';
import { suggestSymbol } from '../market/symbols.ts';
import type { SymbolMarket } from '../market/quote-cache.ts';
import { tradableAsk } from '../market/quote-rules.ts';
import type { BrokerageModel } from '../execution/brokerage-model.ts';
import type { ValidOrderRequest } from '../orders/validate-order.ts';
import { trailingStopAt } from '../orders/trailing-stop.ts';
import { ownerOf, strategyNameOf, USER_OWNER } from '../portfolio/attribution.ts';

export interface AccountView {
  knownSymbols: ReadonlySet<string>;
  market(symbol: string): SymbolMarket | undefined;
  /** Cash not already held by working buy orders. */
  buyingPower(): Cents;
  /** What the order's placer may sell: the position (a strategy: its own lot) minus what its working sells hold. */
  sellableQty(symbol: string): Qty;
}

export type CheckResult = { ok: true; reservePrice: Price } | { ok: false; error: string };

/** Pre-trade checks of a cash account: a known symbol, the market's rules, cash, and no shorting. */
export function preTradeCheck(order: ValidOrderRequest, brokerage: BrokerageModel, account: AccountView, source: string): CheckResult {
  const fail = (error: string): CheckResult => ({ ok: false, error });
  if (!account.knownSymbols.has(order.symbol)) {
    const suggestion = suggestSymbol(order.symbol, account.knownSymbols);
    const hint = suggestion ? ` (did you mean ${suggestion}?)` : '; add it to the watchlist first';
    return fail(`unknown symbol "${order.symbol}"${hint}`);
  }
  const rule = brokerage.check(order);
  if (rule) return fail(rule);
  const exitSide = order.orderClass === 'oco' ? order.side : order.side === 'buy' ? 'sell' : 'buy';
  if (order.orderClass !== 'simple' && exitSide === 'buy') {
    return fail(`a ${order.side} ${order.orderClass} order's exits would buy back a short position, and short selling is not supported: a bracket or oto buys, an oco sells`);
  }

  if (order.side === 'sell') {
    const sellable = account.sellableQty(order.symbol);
    if (order.qty > sellable) {
      const who = ownerOf(source);
      if (who !== USER_OWNER) {
        return fail(`cannot sell ${formatQty(order.qty)} ${order.symbol}: ${strategyNameOf(who)} has ${formatQty(sellable)} of its own to sell (a strategy trades only what it bought)`);
      }
      return fail(`cannot sell ${formatQty(order.qty)} ${order.symbol}: ${formatQty(sellable)} available to sell (short selling is not supported)`);
    }
    return { ok: true, reservePrice: 0n };
  }

  const reservePrice = buyReservePrice(order, brokerage, account.market(order.symbol));
  if (reservePrice === undefined) {
    return fail(`no price for ${order.symbol} yet: wait for a quote, or place a limit order`);
  }
  const value = notional(reservePrice, order.qty);
  const cost = value + brokerage.fee.cumulativeFee(order.qty, value);
  const available = account.buyingPower();
  if (cost > available) {
    return fail(
      `not enough cash: buying ${formatQty(order.qty)} ${order.symbol} at about ${formatPrice(reservePrice)} needs $${formatCents(cost)}, $${formatCents(available)} available`,
    );
  }
  return { ok: true, reservePrice };
}

/**
 * The price a working buy holds cash at: its limit, or for market-style orders the current ask
 * (with slippage), or the stop when it is above the ask. A trailing buy's stop only falls from the
 * one it starts at, so it holds cash at that.
 */
function buyReservePrice(order: ValidOrderRequest, brokerage: BrokerageModel, market: SymbolMarket | undefined): Price | undefined {
  if (order.type === 'limit' || order.type === 'stop_limit') return order.limitPrice;
  const current = (market?.quote && tradableAsk(market.quote)) ?? market?.mark;
  const base =
    order.type === 'stop' ? maxBigint(order.stopPrice!, current ?? 0n) : order.type === 'trailing_stop' && current !== undefined ? trailingStopAt(order, current, brokerage.tickSize) : current;
  return base === undefined ? undefined : brokerage.slippage.apply(base, 'buy');
}
