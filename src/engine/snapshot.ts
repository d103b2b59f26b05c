import { formatCents, formatPercent, formatPrice, formatQty, divRound, notional, type Cents, type Price } from './money.ts';
import type { AlertView } from './alerts/alert-book.ts';
import type { Fill } from './execution/paper-executor.ts';
import type { SymbolMarket } from './market/quote-cache.ts';
import { isCrossed } from './market/quote-rules.ts';
import type { MarketStatus } from './market/types.ts';
import { legIdsOf, type Order, type OrderClass, type OrderStatus } from './orders/order.ts';
import type { Lot, PositionAttribution } from './portfolio/attribution.ts';
import { valuePortfolio, type Ledger, type Position } from './portfolio/ledger.ts';
import type { TradeMetrics } from './portfolio/metrics.ts';
import type { RiskView } from './risk/risk-guard.ts';
import type { MarginStatus } from './risk/margin.ts';

// Everything here is JSON-safe: money and quantities are exact decimal strings, times Unix ms.

export interface OrderView {
  id: string;
  clientOrderId: string | null;
  symbol: string;
  side: string;
  type: string;
  timeInForce: string;
  qty: string;
  filledQty: string;
  limitPrice: string | null;
  /** A trailing stop's moves with its high-water mark (null until it has seen a price). */
  stopPrice: string | null;
  /** A trailing stop's trail: a price, or a percent (1.5 is 1.5%). */
  trailPrice: string | null;
  trailPercent: string | null;
  /** A trailing stop's high-water mark: the highest bid (a sell) or lowest ask (a buy) since it was placed. */
  hwm: string | null;
  avgFillPrice: string | null;
  /** simple, bracket, oco or oto: a linked order's parent lists its legs, and each leg its parent. */
  orderClass: OrderClass;
  parentId: string | null;
  legIds: string[];
  /** May fill in the pre-market and after hours too. */
  extendedHours: boolean;
  status: OrderStatus;
  reason: string | null;
  triggered: boolean;
  fees: string;
  source: string;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
}

export interface FillView {
  id: string;
  orderId: string;
  symbol: string;
  side: string;
  qty: string;
  price: string;
  notional: string;
  fee: string;
  realizedPnl: string;
  time: number;
  source: string;
  /** A sell's lots: whose units it took; empty for a buy. */
  takenFrom: LotView[];
  /** Filled against a delayed feed's market, this old (ms); null on a real-time feed. */
  marketDelayMs: number | null;
  /** What its order had filled with it; null on fills saved before it was kept. */
  orderFilledQty: string | null;
}

/** Units of one owner: "user" (the trader) or "strategy:NAME". */
export interface LotView {
  owner: string;
  qty: string;
}

export interface PositionView {
  symbol: string;
  qty: string;
  avgPrice: string;
  costBasis: string;
  lastPrice: string | null;
  marketValue: string;
  unrealizedPnl: string;
  /** Realized on this symbol by every sell since the account began. */
  realizedPnl: string;
  /** Who holds the qty, oldest lot first. Adds up to qty. */
  attribution: LotView[];
}

export interface QuoteView {
  symbol: string;
  bid: string | null;
  ask: string | null;
  bidSize: string | null;
  askSize: string | null;
  /** Bid above ask: no side can be traded, nothing marks or fills, until a sane quote comes (quote-rules.ts). */
  crossed: boolean;
  /** The regular last price: the newest print whose conditions let it set the last, else the last bar's close. */
  last: string | null;
  /** The newest extended-hours print (Form T), when it is newer than the regular last: pre-market or after hours. */
  extendedLast: string | null;
  mark: string | null;
  open: string | null;
  /** The previous session's close, when the provider gives it: the day's change is from it. */
  previousClose: string | null;
  volume: string;
  time: number;
  /** The prices shown come from a delayed feed and are this old (ms); null when real time. */
  delayMs: number | null;
}

export interface PortfolioView {
  startingCash: string;
  cash: string;
  buyingPower: string;
  marketValue: string;
  totalEquity: string;
  unrealizedPnl: string;
  realizedPnl: string;
  fees: string;
  positions: PositionView[];
  /** cash, or margin (chosen when the account was made). */
  accountKind: 'cash' | 'margin';
  /** Equity at the previous New York day's last point (the account keeps its series), else at today's first; null before any: the day's change is from it. */
  previousCloseEquity: string | null;
  /** A margin account's requirements; null for a cash account. */
  margin: MarginView | null;
}

/** A margin account's state (margin.ts): what it must keep, what it may borrow, whether it is called. */
export interface MarginView {
  /** What buying power is to equity now: 1 under $2,000, 4 in the regular session from $25,000, else 2. */
  multiplier: number;
  longMarketValue: string;
  /** The short positions' value, as a positive amount. */
  shortMarketValue: string;
  /** Equity must stay above it: 25% of the longs plus 30% of the shorts. */
  maintenanceMargin: string;
  /** Equity is under the maintenance margin: close positions or wait for prices to restore it. */
  marginCall: boolean;
  /** Day trades in the last 5 business days, and whether the pattern-day-trader rule counts them. */
  dayTrades: number;
  patternDayTrader: boolean;
}

export function marginView(status: MarginStatus, dayTrades: number, patternDayTrader: boolean): MarginView {
  return {
    multiplier: Number(status.multiplier),
    longMarketValue: formatCents(status.longValue),
    shortMarketValue: formatCents(status.shortValue),
    maintenanceMargin: formatCents(status.maintenanceMargin),
    marginCall: status.marginCall,
    dayTrades,
    patternDayTrader,
  };
}

export interface EngineSnapshot {
  status: 'created' | 'running' | 'stopped';
  time: number;
  market: MarketStatus;
  strategy: { name: string; params: Record<string, unknown> } | null;
  symbols: string[];
  /** The durable account the books are saved in; absent when they live in memory only. */
  account?: string;
  /** Whether the US stock market's regular session is open: as the provider reports it (Polygon knows holidays), else by the calendar. */
  stockMarketOpen?: boolean;
  portfolio: PortfolioView;
  orders: OrderView[];
  fills: FillView[];
  quotes: QuoteView[];
  metrics: TradeMetrics;
  equity: { time: number; equity: string }[];
  /** The account's risk limits, kill switch and day's loss. */
  risk: RiskView;
  /** The price and fill alerts waiting, oldest first. */
  alerts: AlertView[];
}

const optional = (value: bigint | undefined, format: (v: bigint) => string): string | null =>
  value === undefined ? null : format(value);

export function orderView(order: Order): OrderView {
  return {
    id: order.id,
    clientOrderId: order.clientOrderId ?? null,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    timeInForce: order.timeInForce,
    qty: formatQty(order.qty),
    filledQty: formatQty(order.filledQty),
    limitPrice: optional(order.limitPrice, formatPrice),
    stopPrice: optional(order.stopPrice, formatPrice),
    trailPrice: optional(order.trailPrice, formatPrice),
    trailPercent: optional(order.trailPercent, formatPercent),
    hwm: optional(order.hwm, formatPrice),
    avgFillPrice: order.filledQty === 0n ? null : formatPrice(divRound(order.filledValue, order.filledQty)),
    orderClass: order.orderClass,
    parentId: order.parentId ?? null,
    legIds: legIdsOf(order),
    extendedHours: order.extendedHours,
    status: order.status,
    reason: order.reason ?? null,
    triggered: order.triggered,
    fees: formatCents(order.fees),
    source: order.source,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    expiresAt: order.expiresAt ?? null,
  };
}

export function fillView(fill: Fill): FillView {
  return {
    id: fill.id,
    orderId: fill.orderId,
    symbol: fill.symbol,
    side: fill.side,
    qty: formatQty(fill.qty),
    price: formatPrice(fill.price),
    notional: formatCents(fill.notional),
    fee: formatCents(fill.fee),
    realizedPnl: formatCents(fill.realizedPnl),
    time: fill.time,
    source: fill.source,
    takenFrom: lotViews(fill.lotsTaken ?? []),
    marketDelayMs: fill.marketDelayMs ?? null,
    orderFilledQty: fill.orderFilledQty === undefined ? null : formatQty(fill.orderFilledQty),
  };
}

/** cents / qty as a price, rounded half away from zero to the micro (display only). */
export function averagePrice(cents: Cents, qty: bigint): Price {
  return qty === 0n ? 0n : divRound(cents * 10n ** 13n, qty);
}

export function positionView(position: Position, mark: Price | undefined, realized: Cents, lots: readonly Lot[]): PositionView {
  const marketValue = mark === undefined ? position.costBasis : notional(mark, position.qty);
  return {
    symbol: position.symbol,
    qty: formatQty(position.qty),
    avgPrice: formatPrice(averagePrice(position.costBasis, position.qty)),
    costBasis: formatCents(position.costBasis),
    lastPrice: optional(mark, formatPrice),
    marketValue: formatCents(marketValue),
    unrealizedPnl: formatCents(marketValue - position.costBasis),
    realizedPnl: formatCents(realized),
    attribution: lotViews(lots),
  };
}

const lotViews = (lots: readonly Lot[]): LotView[] => lots.map((lot) => ({ owner: lot.owner, qty: formatQty(lot.qty) }));

/** A quote side with no price (0) shows as none. */
const side = (price: Price | undefined): string | null => (price ? formatPrice(price) : null);

export function quoteView(market: SymbolMarket): QuoteView {
  const { quote, trade, extendedTrade } = market;
  return {
    symbol: market.symbol,
    bid: side(quote?.bid),
    ask: side(quote?.ask),
    bidSize: optional(quote?.bid ? quote.bidSize : undefined, formatQty),
    askSize: optional(quote?.ask ? quote.askSize : undefined, formatQty),
    crossed: quote !== undefined && isCrossed(quote),
    last: optional(trade?.price ?? market.bar?.close, formatPrice),
    extendedLast: extendedTrade && extendedTrade.time > (trade?.time ?? -Infinity) ? formatPrice(extendedTrade.price) : null,
    mark: optional(market.mark, formatPrice),
    open: optional(market.open, formatPrice),
    previousClose: optional(market.previousClose, formatPrice),
    volume: formatQty(market.volume),
    time: market.updatedAt,
    delayMs: Math.max(quote?.delayMs ?? 0, trade?.delayMs ?? 0, market.bar?.delayMs ?? 0) || null,
  };
}

export function portfolioView(
  ledger: Ledger,
  markOf: (symbol: string) => Price | undefined,
  buyingPower: Cents,
  attribution: PositionAttribution,
  margin?: MarginView,
  previousCloseEquity?: Cents,
): PortfolioView {
  const positions = [...ledger.positions.values()].map((position) =>
    positionView(position, markOf(position.symbol), ledger.realizedBySymbol.get(position.symbol) ?? 0n, attribution.lots(position.symbol)),
  );
  const value = valuePortfolio(ledger, markOf);
  return {
    startingCash: formatCents(ledger.startingCash),
    cash: formatCents(ledger.cash),
    buyingPower: formatCents(buyingPower),
    marketValue: formatCents(value.marketValue),
    totalEquity: formatCents(value.totalEquity),
    unrealizedPnl: formatCents(value.unrealizedPnl),
    realizedPnl: formatCents(ledger.realizedPnl),
    fees: formatCents(ledger.feesPaid),
    positions,
    accountKind: ledger.shorts ? 'margin' : 'cash',
    previousCloseEquity: previousCloseEquity === undefined ? null : formatCents(previousCloseEquity),
    margin: margin ?? null,
  };
}
