// paper-trader's engine as Alpaca's Trading API v2 shows it: its field names, decimals as strings,
// times as RFC 3339. Fields paper-trader fills differently are in docs/alpaca-compat.md.
import { formatQty, type EngineSnapshot, type FillView, type OrderView, type PositionView, type Qty, type QuoteView } from '../../engine/index.ts';
import { newYorkDate } from '../../engine/market/trading-day.ts';
import type { StockClock } from '../../engine/market/market-hours.ts';
import { alpacaSymbol, isCrypto, positionSymbol } from './alpaca-symbols.ts';

/** RFC 3339 in New York's offset, as Alpaca writes its clock: 2026-11-03T09:30:00-05:00. */
export function newYorkTime(ms: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'longOffset' })
      .formatToParts(ms)
      .map((part) => [part.type, part.value]),
  );
  const offset = parts['timeZoneName']?.replace('GMT', '') || '+00:00';
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}${offset}`;
}

/** GET /v2/account: the books of the paper account. */
export function accountJson(snapshot: EngineSnapshot, accountId: string, createdAt: number) {
  const p = snapshot.portfolio;
  const margin = p.margin;
  return {
    id: accountId,
    account_number: `PT${accountId.replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, 10)}`,
    status: 'ACTIVE',
    crypto_status: 'ACTIVE',
    currency: 'USD',
    cash: p.cash,
    portfolio_value: p.totalEquity,
    equity: p.totalEquity,
    last_equity: p.previousCloseEquity ?? p.totalEquity,
    buying_power: p.buyingPower,
    regt_buying_power: p.buyingPower,
    daytrading_buying_power: margin ? p.buyingPower : '0',
    non_marginable_buying_power: p.cash,
    long_market_value: margin?.longMarketValue ?? p.marketValue,
    // Alpaca writes a short's value negative.
    short_market_value: margin && !/^0(\.0+)?$/.test(margin.shortMarketValue) ? `-${margin.shortMarketValue}` : '0',
    initial_margin: '0',
    maintenance_margin: margin?.maintenanceMargin ?? '0',
    last_maintenance_margin: margin?.maintenanceMargin ?? '0',
    sma: '0',
    multiplier: String(margin?.multiplier ?? 1),
    daytrade_count: margin?.dayTrades ?? 0,
    pattern_day_trader: false,
    shorting_enabled: p.accountKind === 'margin',
    trading_blocked: snapshot.risk.killSwitch,
    transfers_blocked: true,
    account_blocked: false,
    trade_suspended_by_user: false,
    accrued_fees: '0',
    created_at: new Date(createdAt).toISOString(),
  };
}

/** GET /v2/clock. */
export const legacyClockJson = (clock: StockClock) => ({
  timestamp: newYorkTime(clock.time),
  is_open: clock.isOpen,
  next_open: newYorkTime(clock.nextOpen),
  next_close: newYorkTime(clock.nextClose),
});

/** GET /v3/clock: the US stock market's (paper-trader trades no other market Alpaca lists here). */
export const clockJson = (clock: StockClock) => ({
  clocks: [
    {
      market: { acronym: 'NYSE', mic: 'XNYS', name: 'New York Stock Exchange', timezone: 'America/New_York' },
      timestamp: newYorkTime(clock.time),
      is_market_day: clock.isOpen || newYorkDate(clock.nextOpen) === newYorkDate(clock.time),
      next_market_open: newYorkTime(clock.nextOpen),
      next_market_close: newYorkTime(clock.nextClose),
      phase: clock.isOpen ? 'core' : 'closed',
      phase_until: newYorkTime(clock.isOpen ? clock.nextClose : clock.nextOpen),
    },
  ],
});

/** Finds the legs of a linked order. */
export interface OrderLookup {
  order(id: string): OrderView | undefined;
}

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** Alpaca's asset class of a ticker: crypto, else us_equity (Alpaca trades no forex). */
const alpacaClassOf = (symbol: string): string => (isCrypto(symbol) ? 'crypto' : 'us_equity');
/** Where a ticker trades, as Alpaca names it: paper-trader's own book for all but crypto. */
const exchangeOf = (symbol: string): string => (isCrypto(symbol) ? 'CRYPTO' : 'PAPER');

/** An order as Alpaca's Order: its times as RFC 3339, its ending's time in the field that names it. */
export function alpacaOrderJson(o: OrderView, orders: OrderLookup, nested = true): Record<string, unknown> {
  const ended = (status: OrderView['status']): string | null => (o.status === status ? iso(o.updatedAt) : null);
  return {
    id: o.id,
    client_order_id: o.clientOrderId ?? o.id,
    created_at: iso(o.createdAt),
    updated_at: iso(o.updatedAt),
    submitted_at: iso(o.createdAt),
    filled_at: ended('filled'),
    expired_at: ended('expired'),
    canceled_at: ended('canceled'),
    failed_at: ended('rejected'),
    replaced_at: null,
    replaced_by: null,
    replaces: null,
    asset_id: o.symbol,
    symbol: alpacaSymbol(o.symbol),
    asset_class: alpacaClassOf(o.symbol),
    notional: null,
    qty: o.qty,
    filled_qty: o.filledQty,
    filled_avg_price: o.avgFillPrice,
    order_class: o.orderClass === 'simple' ? '' : o.orderClass,
    order_type: o.type,
    type: o.type,
    side: o.side,
    position_intent: null,
    time_in_force: o.timeInForce,
    limit_price: o.limitPrice,
    stop_price: o.stopPrice,
    status: o.status,
    extended_hours: o.extendedHours,
    legs: !nested || o.legIds.length === 0 ? null : o.legIds.flatMap((id) => {
      const leg = orders.order(id);
      return leg ? [alpacaOrderJson(leg, orders)] : [];
    }),
    trail_percent: o.trailPercent,
    trail_price: o.trailPrice,
    hwm: o.hwm,
    expires_at: iso(o.expiresAt),
    // Beyond Alpaca's fields: why a rejected or canceled order ended (Alpaca says it only in its stream).
    reason: o.reason,
  };
}

/** A ratio as Alpaca writes it: a decimal string ("0.0125" is 1.25%); display only. */
const ratio = (numerator: number, denominator: number): string => (denominator === 0 || !Number.isFinite(numerator / denominator) ? '0' : (numerator / denominator).toFixed(6));

/**
 * A position as Alpaca's Position. paper-trader keeps no intraday split of the PnL: the intraday
 * fields are the whole unrealized PnL; lastday_price is the previous close when the provider gave it.
 */
export function alpacaPositionJson(p: PositionView, quote: QuoteView | undefined, available: string) {
  const current = p.lastPrice ?? p.avgPrice;
  const lastDay = quote?.previousClose ?? current;
  const unrealizedPlpc = ratio(Number(p.unrealizedPnl), Math.abs(Number(p.costBasis)));
  return {
    asset_id: p.symbol,
    symbol: positionSymbol(p.symbol),
    exchange: exchangeOf(p.symbol),
    asset_class: alpacaClassOf(p.symbol),
    asset_marginable: true,
    avg_entry_price: p.avgPrice,
    qty: p.qty,
    qty_available: available,
    side: p.qty.startsWith('-') ? 'short' : 'long',
    market_value: p.marketValue,
    cost_basis: p.costBasis,
    unrealized_pl: p.unrealizedPnl,
    unrealized_plpc: unrealizedPlpc,
    unrealized_intraday_pl: p.unrealizedPnl,
    unrealized_intraday_plpc: unrealizedPlpc,
    current_price: current,
    lastday_price: lastDay,
    change_today: ratio(Number(current) - Number(lastDay), Number(lastDay)),
  };
}

/** A ticker as Alpaca's Asset: every ticker the market has is active and tradable here. */
export const alpacaAssetJson = (symbol: string, name: string) => ({
  id: symbol,
  class: alpacaClassOf(symbol),
  exchange: exchangeOf(symbol),
  symbol: alpacaSymbol(symbol),
  name,
  status: 'active',
  tradable: true,
  marginable: true,
  shortable: !isCrypto(symbol),
  easy_to_borrow: !isCrypto(symbol),
  fractionable: isCrypto(symbol),
  attributes: [],
});

/** A fill as Alpaca's FILL activity; cumQty: what its order had filled with it (exact units). */
export const fillActivityJson = (f: FillView, orderQty: Qty, cumQty: Qty, orderStatus: string) => ({
  id: f.id,
  activity_type: 'FILL',
  transaction_time: new Date(f.time).toISOString(),
  type: cumQty < orderQty ? 'partial_fill' : 'fill',
  price: f.price,
  qty: f.qty,
  side: f.side,
  symbol: alpacaSymbol(f.symbol),
  leaves_qty: formatQty(orderQty > cumQty ? orderQty - cumQty : 0n),
  order_id: f.orderId,
  cum_qty: formatQty(cumQty),
  order_status: orderStatus,
});
