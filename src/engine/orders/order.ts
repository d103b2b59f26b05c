import type { Cents, Price, Qty } from '../money.ts';

export type Side = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';
export type TimeInForce = 'day' | 'gtc' | 'ioc' | 'fok';
export type OrderStatus = 'new' | 'accepted' | 'partially_filled' | 'filled' | 'canceled' | 'expired' | 'rejected';

export const ORDER_TYPES: readonly OrderType[] = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'];
export const TIMES_IN_FORCE: readonly TimeInForce[] = ['day', 'gtc', 'ioc', 'fok'];

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
  order_type?: OrderType | string;
  limit_price?: string | number;
  stop_price?: string | number;
  trail_price?: string | number;
  trail_percent?: string | number;
  time_in_force?: TimeInForce | string;
  client_order_id?: string;
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

const TERMINAL: ReadonlySet<OrderStatus> = new Set(['filled', 'canceled', 'expired', 'rejected']);

/** Still working (not filled, canceled, expired or rejected): an order, or its view. */
export const isWorking = (order: { status: OrderStatus }): boolean => !TERMINAL.has(order.status);
export const remainingQty = (order: Order): Qty => order.qty - order.filledQty;
