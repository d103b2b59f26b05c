import { divRound, PERCENT_DECIMALS, type Price } from '../money.ts';
import type { Order } from './order.ts';

// A trailing stop's stop follows the market as it moves the order's way and never moves back: a
// sell's trails the highest bid seen since it was placed by its trail, a buy's the lowest ask.
// Once the market comes back through the stop, it triggers and fills as a market order.

const PERCENT_BASE = 100n * 10n ** BigInt(PERCENT_DECIMALS);

type Trail = Pick<Order, 'side' | 'trailPrice' | 'trailPercent'>;

/** The stop that trails `mark`: the trail (a price, or a percent of the mark) behind it. */
export function trailingStopAt(order: Trail, mark: Price): Price {
  const trail = order.trailPrice ?? divRound(mark * order.trailPercent!, PERCENT_BASE);
  return order.side === 'sell' ? mark - trail : mark + trail;
}

/** Moves the order's high-water mark (and so its stop) to `price` when that is the best yet; true when it moved. */
export function followMarket(order: Order, price: Price): boolean {
  if (order.hwm !== undefined && (order.side === 'sell' ? price <= order.hwm : price >= order.hwm)) return false;
  order.hwm = price;
  order.stopPrice = trailingStopAt(order, price);
  return true;
}
