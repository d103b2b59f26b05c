import { divRound, PERCENT_DECIMALS, type Price } from '../money.ts';
import type { Order } from './order.ts';

// A trailing stop's stop follows the market as it moves the order's way and never moves back: a
// sell's trails the highest bid seen since it was placed by its trail, a buy's the lowest ask.
// Once the market comes back through the stop, it triggers and fills as a market order. A stop
// from a percent is rounded to the symbol's tick away from the market, so the trail is never
// shorter than the percent asked.

const PERCENT_BASE = 100n * 10n ** BigInt(PERCENT_DECIMALS);

type Trail = Pick<Order, 'side' | 'trailPrice' | 'trailPercent'>;
/** The symbol's price increment at a price level (BrokerageModel.tickSize). */
export type TickSize = (price: Price) => Price;

/** The stop that trails `mark`: the trail (a price, or a percent of the mark) behind it, on a tick. */
export function trailingStopAt(order: Trail, mark: Price, tickSize: TickSize): Price {
  const trail = order.trailPrice ?? divRound(mark * order.trailPercent!, PERCENT_BASE);
  const stop = order.side === 'sell' ? mark - trail : mark + trail;
  if (stop <= 0n) return stop;
  const tick = tickSize(stop);
  const below = stop - (stop % tick);
  return order.side === 'sell' || below === stop ? below : below + tick;
}

/** Moves the order's high-water mark (and so its stop) to `price` when that is the best yet; true when it moved. */
export function followMarket(order: Order, price: Price, tickSize: TickSize): boolean {
  if (order.hwm !== undefined && (order.side === 'sell' ? price <= order.hwm : price >= order.hwm)) return false;
  order.hwm = price;
  order.stopPrice = trailingStopAt(order, price, tickSize);
  return true;
}
