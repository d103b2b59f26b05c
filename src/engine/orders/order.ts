import type { Cents, Price, Qty } from '../money.ts';
import { seqOf } from '../history-page.ts';

export type Side = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';
/** opg and cls: the opening or closing auction only (auction.ts). */
export type TimeInForce = 'day' | 'gtc' | 'ioc' | 'fok' | 'opg' | 'cls';
export type OrderStatus = 'new' | 'held' | 'accepted' | 'partially_filled' | 'filled' | 'canceled' | 'expired' | 'rejected';
/**
 * How an order is linked to others, in Alpaca's names: a bracket is an entry whose fills release
 * a take-profit and a stop-loss that cancel each other; an oto, an entry with one of them; an oco,
 * a take-profit limit (the parent) and a stop-loss that cancel each other.
 */
export type OrderClass = 'simple' | 'bracket' | 'oco' | 'oto';

export const ORDER_TYPES: readonly OrderType[] = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'];
export const TIMES_IN_FORCE: readonly TimeInForce[] = ['day', 'gtc', 'ioc', 'fok', 'opg', 'cls'];
export const ORDER_CLASSES: readonly OrderClass[] = ['simple', 'bracket', 'oco', 'oto'];

/** A bracket's (or oco's, or oto's) exit that takes profit: a limit. */
export interface TakeProfitRequest {
  limitPrice?: string | number;
  limit_price?: string | number;
}

/** A bracket's (or oco's, or oto's) exit that stops a loss: a stop, or a stop-limit with a limit. */
export interface StopLossRequest {
  stopPrice?: string | number;
  stop_price?: string | number;
  limitPrice?: string | number;
  limit_price?: string | number;
}

/**
 * What a person, a strategy or the HTTP API asks for; validated into an Order (validate-order.ts).
 * The seed's snake_case spellings work too; any other key is refused by name.
 */
export interface OrderRequest {
  symbol: string;
  side: Side | string;
  qty: string | number;
  type?: OrderType | string;
  limitPrice?: string | number;
  stopPrice?: string | number;
  /** A trailing stop's trail: its stop follows the market this far behind (one of the two). */
  trailPrice?: string | number;
  /** A trailing stop's trail as a percent of the market (1.5 is 1.5%). */
  trailPercent?: string | number;
  timeInForce?: TimeInForce | string;
  /** Unique per account: placing a second order with it returns the first. */
  clientOrderId?: string;
  /** simple (the default), bracket, oco or oto: with takeProfit and/or stopLoss, the order's exits. */
  orderClass?: OrderClass | string;
  /** A stock limit order (day or gtc) that may also fill in the pre-market (4:00–9:30 ET) and after hours (16:00–20:00 ET). */
  extendedHours?: boolean;
  extended_hours?: boolean;
  takeProfit?: TakeProfitRequest;
  stopLoss?: StopLossRequest;
  order_type?: OrderType | string;
  limit_price?: string | number;
  stop_price?: string | number;
  trail_price?: string | number;
  trail_percent?: string | number;
  time_in_force?: TimeInForce | string;
  client_order_id?: string;
  order_class?: OrderClass | string;
  take_profit?: TakeProfitRequest;
  stop_loss?: StopLossRequest;
}

/** The engine's working record of an order (mutable inside the engine only). */
export interface Order {
  readonly id: string;
  readonly clientOrderId: string | undefined;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  /** The order's whole qty, fills included (a replace may change it, and the prices below). */
  qty: Qty;
  limitPrice: Price | undefined;
  /** A trailing stop's moves with its high-water mark (undefined until it has seen a price). */
  stopPrice: Price | undefined;
  /** A trailing stop's trail, in price or in percent (PERCENT_DECIMALS). */
  trailPrice: Price | undefined;
  trailPercent: bigint | undefined;
  /**
   * A trailing stop's high-water mark: the best price its side has seen since it was placed (the
   * highest bid for a sell, the lowest ask for a buy); its stop trails it.
   */
  hwm: Price | undefined;
  readonly orderClass: OrderClass;
  /** May fill in the pre-market and after hours too (a stock limit order). */
  readonly extendedHours: boolean;
  /**
   * A leg's parent: a bracket's or oto's entry, an oco's take-profit. Legs are placed with their
   * parent, so their ids follow its id (legIdsOf).
   */
  readonly parentId: string | undefined;
  /** Who placed it: "user", "api", or "strategy:<name>". */
  readonly source: string;
  readonly createdAt: number;
  status: OrderStatus;
  reason: string | undefined;
  updatedAt: number;
  filledQty: Qty;
  /** Sum of fill notionals in cents, as cash moved. */
  filledNotional: Cents;
  /** Sum of price × qty of the fills, unrounded, so the average fill price is exact. */
  filledValue: bigint;
  fees: Cents;
  realizedPnl: Cents;
  /** A stop order becomes a market or limit order once its stop is reached. */
  triggered: boolean;
  /**
   * For a limit (or a triggered stop-limit): whether the market was already at or through its
   * price when it first met one, so it takes the market's price (true), or rests at its limit
   * (false). Undefined until it meets a market: no fresh quote, or no print, when it arrived.
   */
  marketable: boolean | undefined;
  /** Cash held for a working buy: remaining qty at this price, plus fees. */
  reservePrice: Price;
  /** The cash this order holds now (0 once it is done or for a sell). */
  reserved: Cents;
  expiresAt: number | undefined;
}

/** What a replace may change of a working order, in either spelling; the rest of the order stays. */
export type OrderChanges = Partial<Pick<OrderRequest, 'qty' | 'limitPrice' | 'stopPrice' | 'trailPrice' | 'trailPercent' | 'limit_price' | 'stop_price' | 'trail_price' | 'trail_percent'>>;

/** How many legs an order of this class places beside its parent: a bracket two, an oto or an oco one. */
export const legCountOf = (orderClass: OrderClass): number => (orderClass === 'bracket' ? 2 : orderClass === 'simple' ? 0 : 1);

/**
 * The ids of an order's legs: a bracket's take-profit and stop-loss, an oto's exit, an oco's
 * stop-loss. They were placed right after it, so they hold the next ids (a rejected order has none).
 */
export function legIdsOf(order: Pick<Order, 'id' | 'orderClass' | 'parentId' | 'status'>): string[] {
  if (order.parentId !== undefined || order.status === 'rejected') return [];
  const seq = seqOf(order.id);
  return Array.from({ length: legCountOf(order.orderClass) }, (_, i) => `o-${seq + 1 + i}`);
}

/**
 * The order that cancels this one when it fills (one-cancels-other): a bracket's other leg, an
 * oco's other order. An entry, an oto's leg and a simple order have none.
 */
export function ocoPartnerIdOf(order: Pick<Order, 'id' | 'orderClass' | 'parentId'>): string | undefined {
  if (order.orderClass === 'oco') return order.parentId ?? `o-${seqOf(order.id) + 1}`;
  if (order.orderClass !== 'bracket' || order.parentId === undefined) return undefined;
  const parent = seqOf(order.parentId);
  return order.id === `o-${parent + 1}` ? `o-${parent + 2}` : `o-${parent + 1}`;
}

/** An entry whose fills release legs: a bracket's or an oto's parent. */
export const releasesLegs = (order: Pick<Order, 'orderClass' | 'parentId'>): boolean =>
  (order.orderClass === 'bracket' || order.orderClass === 'oto') && order.parentId === undefined;

const TERMINAL: ReadonlySet<OrderStatus> = new Set(['filled', 'canceled', 'expired', 'rejected']);

/** Still working (not filled, canceled, expired or rejected): an order, or its view. */
export const isWorking = (order: { status: OrderStatus }): boolean => !TERMINAL.has(order.status);
export const remainingQty = (order: Order): Qty => order.qty - order.filledQty;
