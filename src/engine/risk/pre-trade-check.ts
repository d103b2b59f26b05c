import { type Cents, formatPrice, formatQty, formatUsd, maxBigint, notional, type Price, type Qty } from '../money.ts';
import { suggestSymbol } from '../market/symbols.ts';
import type { SymbolMarket } from '../market/quote-cache.ts';
import { tradableAsk, tradableBid } from '../market/quote-rules.ts';
import { isMarginable, MARGIN_MIN_EQUITY } from './margin.ts';
import type { BrokerageModel } from '../execution/brokerage-model.ts';
import type { ValidOrderRequest } from '../orders/validate-order.ts';
import { trailingStopAt } from '../orders/trailing-stop.ts';
import { ownerOf, strategyNameOf, USER_OWNER } from '../portfolio/attribution.ts';

export interface AccountView {
  knownSymbols: ReadonlySet<string>;
  market(symbol: string): SymbolMarket | undefined;
  /** What is not already held by working orders: cash, or a margin account's buying power for a stock. */
  buyingPower(symbol: string): Cents;
  /** What the order's placer may sell: the position (a strategy: its own lot) minus what its working sells hold. */
  sellableQty(symbol: string): Qty;
  /** A margin account's: what a buy may cover of a short (less what working covers take) before it opens a long. Undefined: a cash account. */
  coverableQty?(symbol: string): Qty;
  /** A margin account's equity: under $2,000 it may not sell short. */
  equity?(): Cents;
}

export type CheckResult = { ok: true; reservePrice: Price } | { ok: false; error: string };

/**
 * Pre-trade checks: a known symbol, the market's rules, and what the account can pay for. A cash
 * account buys with its cash and sells what it holds. A margin account buys with its buying power,
 * and the trader may sell a stock short against it; an order that only closes a position (a sell
 * of a long, a buy that covers a short) needs none. reservePrice: what the order holds buying
 * power at, 0 for one that only closes.
 */
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
  const margin = account.coverableQty !== undefined;
  if (order.orderClass !== 'simple' && exitSide === 'buy' && !margin) {
    return fail(`a ${order.side} ${order.orderClass} order's exits would buy back a short position, and selling short needs a margin account: in a cash account a bracket or oto buys, an oco sells`);
  }

  if (order.side === 'sell') {
    const sellable = account.sellableQty(order.symbol);
    if (order.qty <= sellable) return { ok: true, reservePrice: 0n };
    const who = ownerOf(source);
    if (who !== USER_OWNER) {
      return fail(`cannot sell ${formatQty(order.qty)} ${order.symbol}: ${strategyNameOf(who)} has ${formatQty(sellable)} of its own to sell (a strategy trades only what it bought${margin ? ', and never sells short' : ''})`);
    }
    const available = `${formatQty(sellable > 0n ? sellable : 0n)} available to sell`;
    if (!isMarginable(order.symbol)) return fail(`cannot sell ${formatQty(order.qty)} ${order.symbol}: ${available}, and only stocks can be sold short`);
    if (!margin) return fail(`cannot sell ${formatQty(order.qty)} ${order.symbol}: ${available} (selling short needs a margin account: paper-trader accounts create NAME --margin)`);
    const equity = account.equity?.() ?? 0n;
    if (equity < MARGIN_MIN_EQUITY) return fail(`cannot sell ${formatQty(order.qty)} ${order.symbol} short: a margin account needs $2,000.00 of equity to sell short (Reg T), it has ${formatUsd(equity)}`);
    return holdFor(order, brokerage, account, 'sell short');
  }
  // A margin account's buy that only covers a short holds nothing: closing is always allowed.
  if (account.coverableQty && order.qty <= account.coverableQty(order.symbol)) return { ok: true, reservePrice: 0n };
  return holdFor(order, brokerage, account, 'buy');
}

/** An order that opens a position: its value (and fee) at its reserve price must fit the buying power. */
function holdFor(order: ValidOrderRequest, brokerage: BrokerageModel, account: AccountView, action: 'buy' | 'sell short'): CheckResult {
  const reservePrice = reservePriceOf(order, brokerage, account.market(order.symbol));
  if (reservePrice === undefined) {
    return { ok: false, error: `no price for ${order.symbol} yet: wait for a quote, or place a limit order` };
  }
  const value = notional(reservePrice, order.qty);
  const cost = value + brokerage.fee.cumulativeFee(order.qty, value);
  // Crypto and forex are bought with cash in a margin account too.
  const margin = account.coverableQty !== undefined && isMarginable(order.symbol);
  const available = account.buyingPower(order.symbol);
  if (cost > available) {
    const what = margin ? 'buying power' : 'cash';
    return {
      ok: false,
      error: `not enough ${what}: ${action === 'buy' ? 'buying' : 'selling short'} ${formatQty(order.qty)} ${order.symbol} at about ${formatPrice(reservePrice)} needs ${formatUsd(cost)}, ${formatUsd(available)} available`,
    };
  }
  return { ok: true, reservePrice };
}

/** A sell short holds buying power at its limit, or the market (its stop, when that is above it): a short grows as the price rises. */
function reservePriceOf(order: ValidOrderRequest, brokerage: BrokerageModel, market: SymbolMarket | undefined): Price | undefined {
  if (order.side === 'buy') return buyReservePrice(order, brokerage, market);
  if (order.type === 'limit' || order.type === 'stop_limit') return order.limitPrice;
  const current = (market?.quote && tradableBid(market.quote)) ?? market?.mark;
  if (current === undefined) return undefined;
  return order.stopPrice !== undefined && order.stopPrice > current ? order.stopPrice : current;
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
